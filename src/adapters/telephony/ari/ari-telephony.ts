import { concat, defer, from, Subject, type Observable } from 'rxjs';
import type { Clock } from '../../../domain/shared/clock.ts';
import {
  TelephonyUnavailableError,
  type OriginateRequest,
  type OriginateResult,
  type RecordingFile,
  type TelephonyGauges,
  type TelephonyHealth,
  type TelephonyOutcome,
  type TelephonyPort,
} from '../port.ts';
import { AriHttp, AriRequestError, AriUnreachableError } from './ari-http.ts';
import { CallRegistry, markSeen, type TrackedCall } from './call-registry.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { parseAriConfig, type AriConfig, type AriConfigInput, type TrunkConfig } from './config.ts';
import { channelList } from './event-fields.ts';
import { ChannelHeartbeat } from './channel-heartbeat.ts';
import { ChannelLiveness } from './channel-liveness.ts';
import { EventTranslator } from './event-translator.ts';
import {
  CALL_ID_VARIABLE,
  TENANT_ID_VARIABLE,
  channelIdFor,
} from './identifiers.ts';
import { silentLogger, type AriLogger } from './logger.ts';
import { AriNodeConnection } from './node-connection.ts';
import { reconcile, type LiveChannels } from './reconcile.ts';
import { fetchStoredRecording } from './recording-files.ts';
import { probeChannel } from './channel-probe.ts';
import { settleTimedOutOriginate } from './originate-settlement.ts';
import { rebuildRegistry, type InFlightCall } from './rebuild-registry.ts';
import { recordThroughSnoop, startCallMedia, type CallMediaDeps } from './call-media.ts';
import { nodesInPreferenceOrder } from './routing.ts';
import { unrefTimers, type Timers } from './timers.ts';
import { TokenBucket } from './token-bucket.ts';
import { dialString, trunkFor } from './trunks.ts';
import { MaxDurationWatchdog } from './watchdog.ts';

/** A call the event store believes is live; used to rebuild the channel map on start. */
export type { InFlightCall } from './rebuild-registry.ts';

export type AriTelephonyDeps = {
  readonly clock: Clock;
  readonly logger?: AriLogger;
  readonly inFlightCalls?: () => Promise<ReadonlyArray<InFlightCall>>;
  /** Defaults to real, unref'd timers. */
  readonly timers?: Timers;
};

export const LOST_WHILE_DISCONNECTED = 'lost while disconnected';
export const MAX_DURATION_WATCHDOG = 'max duration watchdog';
export const ORIGINATE_NEVER_CONFIRMED = 'originate timed out and no channel was found';

type Node = { readonly connection: AriNodeConnection; readonly breaker: CircuitBreaker; readonly http: AriHttp };

export function createAriTelephony(config: AriConfig | AriConfigInput, deps: AriTelephonyDeps): AriTelephony {
  return new AriTelephony(parseAriConfig(config), deps);
}

/**
 * TelephonyPort over Asterisk's REST Interface: originates through the operator's trunks,
 * translates Stasis events into outcomes, and keeps only a rebuildable channel→call map.
 */
export class AriTelephony implements TelephonyPort {
  private readonly subject = new Subject<TelephonyOutcome>();
  /**
   * Outcomes found before anyone listens wait here. A restarted process reconciles as soon as it
   * connects, which is before the engine has started the dialer that records outcomes: without
   * this, the ends of calls lost while the process was down went nowhere and the calls stayed live
   * in the log for ever. The first subscriber gets them, then everything live.
   */
  private early: TelephonyOutcome[] | null = [];
  readonly outcomes: Observable<TelephonyOutcome> = defer(() => {
    const held = this.early ?? [];
    this.early = null;
    return concat(from(held), this.subject);
  });

  private readonly registry = new CallRegistry();
  private readonly nodes = new Map<string, Node>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly translator: EventTranslator;
  private readonly watchdog: MaxDurationWatchdog;
  private readonly logger: AriLogger;
  private readonly timers: Timers;
  private readonly rebuilt: Promise<void>;
  private reconciling: Promise<void> = Promise.resolve();
  private readonly heartbeat: ChannelHeartbeat;
  private readonly liveness: ChannelLiveness;
  private closed = false;

  constructor(
    private readonly config: AriConfig,
    private readonly deps: AriTelephonyDeps,
  ) {
    this.logger = deps.logger ?? silentLogger;
    this.timers = deps.timers ?? unrefTimers;
    this.watchdog = new MaxDurationWatchdog(this.timers, config.watchdogGraceSeconds * 1000, {
      hangup: (callId) => this.hangup(callId),
      giveUp: (callId) => this.endByAdapter(callId, MAX_DURATION_WATCHDOG),
    });
    this.translator = new EventTranslator(this.registry, deps.clock, this.logger, {
      emit: (outcome) => this.emit(outcome),
      answered: (call, node) => {
        this.watchdog.arm(call.callId, call.maxDurationSeconds);
        void this.withMedia(node, (media) => startCallMedia(call, media));
      },
      snoopStarted: (call, node) => void this.withMedia(node, (media) => recordThroughSnoop(call, media)),
      broadcastFinished: (call) => {
        this.hangup(call.callId).catch((error: unknown) =>
          this.logger.warn('hangup after broadcast failed', { callId: call.callId, error: String(error) }),
        );
      },
      ended: (call) => this.watchdog.disarm(call.callId),
    });
    this.rebuilt = this.rebuildFromStore();
    this.liveness = new ChannelLiveness(this.registry, deps.clock);
    this.heartbeat = new ChannelHeartbeat(this.timers, config.heartbeatIntervalMs, () => this.heartbeatNow());
    this.heartbeat.start();
    for (const nodeConfig of config.nodes) {
      const http = new AriHttp(nodeConfig, config.requestTimeoutMs);
      const connection = new AriNodeConnection(nodeConfig, http, config, this.timers, this.logger, {
        onEvent: (node, event) => this.onEvent(node, event),
        onConnected: (node) => this.scheduleReconcile(node),
      });
      this.nodes.set(nodeConfig.name, {
        connection,
        http,
        breaker: new CircuitBreaker(deps.clock, config.circuitBreaker),
      });
      connection.start();
    }
  }

  async originate(request: OriginateRequest): Promise<OriginateResult> {
    this.assertOpen();
    const channelId = channelIdFor(request.callId);
    const known = this.registry.get(request.callId);
    if (known?.confirmed && known.node !== null) return { channelId };
    if (known?.node === null && (await this.findOnAnyNode(known))) return { channelId };

    const trunk = this.trunkFor(request);
    await this.bucketFor(trunk).take();

    const candidates = nodesInPreferenceOrder(request.callId, [...this.nodes.values()].map((n) => ({ name: n.connection.node.name, ...n })))
      .filter((node) => node.connection.status === 'connected' && node.breaker.wouldAllow());
    if (candidates.length === 0) {
      throw new TelephonyUnavailableError(`no healthy Asterisk node for call ${request.callId}`);
    }

    const call = this.registry.track({
      callId: request.callId,
      tenantId: request.tenantId,
      node: null,
      media: request.media,
      record: request.record,
      maxDurationSeconds: request.maxDurationSeconds,
      confirmed: false,
    });
    let lastError: unknown = null;
    for (const node of candidates) {
      if (!node.breaker.tryAcquire()) continue;
      // Set before the request: Asterisk may report on the channel before it answers us.
      call.node = node.name;
      try {
        const response = await node.http.send('POST', '/channels', this.originateQuery(request, trunk, node), {
          variables: { [CALL_ID_VARIABLE]: request.callId, [TENANT_ID_VARIABLE]: request.tenantId },
        });
        if (response.status >= 500) {
          node.breaker.recordFailure();
          lastError = new AriRequestError(node.name, response.status, response.body, 'POST /channels');
          continue;
        }
        node.breaker.recordSuccess();
        // 409: a channel with this id exists already, i.e. an earlier attempt got through.
        if (response.status === 409 || (response.status >= 200 && response.status < 300)) {
          call.confirmed = true;
          return { channelId };
        }
        this.registry.remove(request.callId);
        throw new AriRequestError(node.name, response.status, response.body, 'POST /channels');
      } catch (error) {
        if (!(error instanceof AriUnreachableError)) throw error;
        node.breaker.recordFailure();
        lastError = error;
        // After a timeout the channel may exist; another node could dial the same call twice.
        if (error.timedOut) break;
      }
    }
    if (lastError instanceof AriUnreachableError && lastError.timedOut) {
      const ringSeconds = request.ringTimeoutSeconds > 0 ? request.ringTimeoutSeconds : this.config.ringTimeoutSeconds;
      return settleTimedOutOriginate(call, lastError, {
        http: (name) => this.nodes.get(name)?.http,
        registry: this.registry,
        timers: this.timers,
        recheckAfterMs: (ringSeconds + this.config.watchdogGraceSeconds) * 1000,
        giveUp: (callId) => this.endByAdapter(callId, ORIGINATE_NEVER_CONFIRMED),
      });
    }
    this.registry.remove(request.callId);
    throw new TelephonyUnavailableError(`originate of call ${request.callId} failed on every healthy node`, {
      cause: lastError,
    });
  }

  async hangup(callId: string): Promise<void> {
    this.assertOpen();
    const call = this.registry.get(callId);
    const channelId = channelIdFor(callId);
    const targets = call?.node ? [this.nodes.get(call.node)!] : [...this.nodes.values()];
    let unreachable: unknown = null;
    for (const node of targets) {
      try {
        const response = await node.http.send('DELETE', `/channels/${encodeURIComponent(channelId)}`, { reason: 'normal' });
        if (response.status === 404) continue;
        if (response.status >= 200 && response.status < 300) return;
        throw new AriRequestError(node.connection.node.name, response.status, response.body, 'DELETE /channels');
      } catch (error) {
        if (!(error instanceof AriUnreachableError)) throw error;
        unreachable = error;
      }
    }
    // Gone everywhere we could ask: already hung up, which is what the caller wanted.
    if (unreachable !== null) {
      throw new TelephonyUnavailableError(`could not reach Asterisk to hang up call ${callId}`, { cause: unreachable });
    }
  }

  async recordingFile(name: string): Promise<RecordingFile | null> {
    this.assertOpen();
    return fetchStoredRecording([...this.nodes.values()].map((node) => node.http), name);
  }

  gauges(): TelephonyGauges {
    return {
      nodes: [...this.nodes.values()].map(({ connection, breaker }) => ({
        name: connection.node.name,
        connected: connection.status === 'connected',
        breaker: breaker.state(),
      })),
      cpsQueues: [...this.buckets.entries()].map(([trunk, bucket]) => ({ trunk, waiting: bucket.queued() })),
    };
  }

  async health(): Promise<TelephonyHealth> {
    const nodes = [...this.nodes.values()].map(({ connection, breaker }) => {
      const breakerState = breaker.state();
      if (connection.status !== 'connected') return { name: connection.node.name, ok: false, detail: connection.detail };
      if (breakerState === 'open') return { name: connection.node.name, ok: false, detail: 'circuit open' };
      return { name: connection.node.name, ok: true, detail: breakerState === 'half_open' ? 'circuit half-open' : 'ok' };
    });
    return { ok: nodes.some((node) => node.ok), nodes };
  }

  /** Resolves once every reconciliation started so far has finished (start-up checks and tests use it). */
  async reconciled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.reconciling;
      await current;
    } while (current !== this.reconciling);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.heartbeat.stop();
    this.watchdog.disarmAll();
    await Promise.all([...this.nodes.values()].map((node) => node.connection.close()));
    this.subject.complete();
  }

  private onEvent(node: string, event: Parameters<EventTranslator['handle']>[1]): void {
    if (this.closed) return;
    this.liveness.noteEvent(node, event);
    try {
      this.translator.handle(node, event);
    } catch (error) {
      this.logger.error('could not translate ARI event', { node, type: event.type, error: String(error) });
    }
  }

  private emit(outcome: TelephonyOutcome): void {
    if (this.closed) return;
    if (this.early) this.early.push(outcome);
    else this.subject.next(outcome);
  }

  private trunkFor(request: OriginateRequest): TrunkConfig {
    const trunk = request.testMode ? this.config.testTrunk : trunkFor(this.config.trunks, request.to);
    if (!trunk) {
      throw new Error(
        request.testMode ? 'test-mode call but no testTrunk is configured' : `no trunk serves ${request.to}`,
      );
    }
    return trunk;
  }

  private bucketFor(trunk: TrunkConfig): TokenBucket {
    let bucket = this.buckets.get(trunk.name);
    if (!bucket) {
      bucket = new TokenBucket(trunk.callsPerSecond, this.deps.clock, this.timers);
      this.buckets.set(trunk.name, bucket);
    }
    return bucket;
  }

  private originateQuery(request: OriginateRequest, trunk: TrunkConfig, node: Node) {
    const callerId = request.callerId ?? trunk.callerId ?? undefined;
    const ringTimeout = request.ringTimeoutSeconds > 0 ? request.ringTimeoutSeconds : this.config.ringTimeoutSeconds;
    return {
      endpoint: dialString(trunk.endpoint, request.to),
      app: node.connection.node.app,
      callerId,
      timeout: ringTimeout,
      channelId: channelIdFor(request.callId),
    };
  }

  /** Runs a media step (see call-media.ts) against the node that holds the call. */
  private async withMedia(nodeName: string, step: (deps: CallMediaDeps) => Promise<void>): Promise<void> {
    const node = this.nodes.get(nodeName);
    if (!node) return;
    await step({
      http: node.http,
      registry: this.registry,
      recordingFormat: this.config.recordingFormat,
      logger: this.logger,
      app: node.connection.node.app,
      hangup: (callId) => this.hangup(callId),
    });
  }

  private async findOnAnyNode(call: TrackedCall): Promise<boolean> {
    for (const [name, node] of this.nodes) {
      if (await probeChannel(node.http, call.channelId)) {
        call.node = name;
        return true;
      }
    }
    return false;
  }

  private async rebuildFromStore(): Promise<void> {
    if (!this.deps.inFlightCalls) return;
    await rebuildRegistry(this.deps.inFlightCalls, {
      registry: this.registry,
      watchdog: this.watchdog,
      defaultMaxDurationSeconds: this.config.defaultMaxDurationSeconds,
      logger: this.logger,
    });
  }

  /** Reconciliations run one at a time, so two nodes reconnecting together cannot double-end a call. */
  private scheduleReconcile(node: string): void {
    this.reconciling = this.reconciling
      .then(() => this.reconcileNow())
      .catch((error: unknown) => this.logger.error('reconciliation failed', { node, error: String(error) }));
  }

  private async reconcileNow(): Promise<void> {
    await this.rebuilt;
    if (this.closed) return;
    // Snapshot before listing: a call originated after the listing started is not judged by it.
    const snapshot = this.registry.all().filter((call) => call.confirmed);
    if (snapshot.length === 0) return;
    const live = new Map<string, ReturnType<typeof channelList>>();
    for (const [name, node] of this.nodes) {
      if (node.connection.status !== 'connected') {
        live.set(name, null);
        continue;
      }
      const response = await node.http.send('GET', '/channels').catch(() => null);
      live.set(name, response?.status === 200 ? channelList(response.body) : null);
    }
    for (const verdict of reconcile(snapshot, live as LiveChannels)) {
      // Events that arrived while we listed may have settled the call already.
      if (this.registry.get(verdict.call.callId) !== verdict.call) continue;
      if (verdict.kind === 'lost') {
        this.endByAdapter(verdict.call.callId, LOST_WHILE_DISCONNECTED);
        continue;
      }
      verdict.call.node = verdict.node;
      markSeen(verdict.call, this.liveness.pbxNow(verdict.node));
      if (verdict.state === 'Up' && !verdict.call.answered) {
        // Answered while we were away; Asterisk's answer time is gone, so this one is ours.
        verdict.call.answered = true;
        this.logger.warn('call answered while disconnected; answer time is approximate', { callId: verdict.call.callId });
        this.emit({
          kind: 'answered',
          callId: verdict.call.callId,
          tenantId: verdict.call.tenantId,
          at: this.deps.clock.now().toISOString(),
        });
        this.watchdog.arm(verdict.call.callId, verdict.call.maxDurationSeconds);
      }
    }
  }

  /**
   * Lists each connected node's channels and marks every call found there as seen now. Only a
   * listing that succeeded counts: a node that cannot answer proves nothing about its channels.
   */
  async heartbeatNow(): Promise<void> {
    if (this.closed || this.registry.all().length === 0) return;
    for (const [name, node] of this.nodes) {
      if (node.connection.status !== 'connected') continue;
      const askedAt = this.liveness.pbxNow(name);
      const response = await node.http.send('GET', '/channels').catch(() => null);
      const channels = response?.status === 200 ? channelList(response.body) : null;
      if (channels) this.liveness.noteListing(name, channels, askedAt);
    }
  }

  /** The last moment the PBX showed this call's channel alive, on the PBX's clock (diagnostics and tests). */
  lastSeenAt(callId: string): string | null {
    return this.registry.get(callId)?.lastSeenAt ?? null;
  }

  /** Ends a call the PBX can no longer tell us about. cause is null: no carrier said anything. */
  private endByAdapter(callId: string, reason: string): void {
    const call = this.registry.get(callId);
    if (!call) return;
    const at = this.liveness.pbxNow(call.node);
    this.registry.remove(callId);
    this.watchdog.disarm(callId);
    this.emit({
      kind: 'ended',
      callId,
      tenantId: call.tenantId,
      answered: call.answered,
      cause: null,
      causeText: reason,
      at,
      reason,
      lastSeenAt: call.lastSeenAt,
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new TelephonyUnavailableError('the ARI adapter is closed');
  }
}
