import { sql } from 'kysely';
import type { Express } from 'express';
import { openDatabase, type Database } from '../adapters/db/database.ts';
import { createEsdbEventStore } from '../adapters/eventstore/esdb-event-store.ts';
import type { EventStore } from '../adapters/eventstore/port.ts';
import { createPostgresEventStore } from '../adapters/eventstore/postgres-event-store.ts';
import type { TelephonyPort } from '../adapters/telephony/port.ts';
import { AccountService } from '../commands/accounts/account-service.ts';
import { OperatorKeys } from '../commands/accounts/operator-keys.ts';
import { CallService, createCallHandler } from '../commands/calls/call-service.ts';
import { telephonyAvailable } from '../commands/calls/telephony-available.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { comparePositions, type GlobalPosition } from '../domain/shared/messages.ts';
import { createApp } from '../http/app.ts';
import type { AppDependencies, HealthReport, Logger } from '../http/dependencies.ts';
import { AccountQueries } from '../projections/accounts/queries.ts';
import { readModelProjections } from '../projections/registry.ts';
import { CallQueries } from '../projections/calls/queries.ts';
import { callFromStream } from '../projections/calls/from-stream.ts';
import { inFlightCallsNow } from '../projections/calls/in-flight.ts';
import { AppendRecorder } from '../adapters/eventstore/append-recorder.ts';
import { ProjectionRunner } from '../projections/runner.ts';
import { Dialer } from '../reactors/dialer.ts';
import { CallScheduler } from '../reactors/call-scheduler.ts';
import { createScheduledCallHandler } from '../commands/calls/scheduled-calls.ts';
import { ScheduledCallQueries } from '../projections/scheduled-calls/queries.ts';
import { phoneTimeZones } from '../adapters/phone-zones/phone-time-zones.ts';
import { AudioFeature } from './audio-feature.ts';
import { BillingFeature } from './billing-feature.ts';
import { AuditFeature } from './audit-feature.ts';
import { operatorKeyCheck } from './authenticate.ts';
import { ComplianceFeature } from './compliance-feature.ts';
import { ContactsFeature } from './contacts-feature.ts';
import { CampaignsFeature } from './campaigns-feature.ts';
import { CampaignQueries } from '../projections/campaigns/queries.ts';
import { FrontDoor } from './front-door.ts';
import { WebhooksFeature, type WebhookNetwork } from './webhooks-feature.ts';
import { frontDoorSettings } from './front-door-config.ts';
import type { EngineConfig } from './config.ts';
import { EngineMetrics } from './metrics/engine-metrics.ts';
import { checkpointName } from '../projections/projection.ts';
import type { MetricsDependencies } from '../http/metrics-dependencies.ts';
import { SharedLogFeed } from './live-events/shared-feed.ts';
import { TenantEventStreams } from './live-events/tenant-streams.ts';
import { OperatorConsole } from './operator-console.ts';

/**
 * Added to an audio file's length to get a broadcast's default maximum: the answer-to-playback
 * gap, a DTMF reply and the hangup all fit in it, and the prepaid hold stays close to the real cost.
 */
const BROADCAST_MARGIN_SECONDS = 30;
/** How long the dialer's do-not-call check waits for the `dnc` read model before it fails the call. */
const DIAL_DNC_WAIT_MS = 120_000;

export type TelephonyFactory = (deps: {
  clock: Clock;
  /** `mode` lets a test-mode router hand each adapter only the calls it owns. */
  inFlightCalls: () => Promise<
    Array<{ callId: string; tenantId: string; mode?: 'live' | 'test'; answered?: boolean; lastSeenAt?: string | null }>
  >;
}) => Promise<TelephonyPort>;

export type EngineOptions = {
  readonly config: EngineConfig;
  readonly clock: Clock;
  readonly telephony: TelephonyFactory;
  /** Tests pass an already-open database (e.g. an isolated schema); otherwise the config decides. */
  readonly database?: Database;
  readonly eventStore?: EventStore;
  readonly logger?: Logger;
  /** Tests resolve webhook host names their own way (a name that points at 127.0.0.1). */
  readonly webhookNetwork?: WebhookNetwork;
};

/** The composition root: every component built once, started in dependency order, stopped in reverse. */
export class Engine {
  readonly app: Express;
  readonly calls: CallService;
  readonly accounts: AccountService;
  /** Operator keys issued on the log by `calltrail init`, accepted beside OPERATOR_API_KEY_HASH. */
  readonly operatorKeys: OperatorKeys;
  readonly callQueries: CallQueries;
  readonly accountQueries: AccountQueries;
  /** The audio library: uploads, its read model, the call placement check and signed media links. */
  readonly audio: AudioFeature;
  /** Logins, keys, users, tenants, rate limits and idempotency (src/app/front-door.ts). */
  readonly frontDoor: FrontDoor;
  /** Wallets, rate plans, the reservation before dialling and the charging reactor (src/app/billing-feature.ts). */
  readonly billing: BillingFeature;
  /** Billing audit from the log: a call's audit and the balance at an instant (src/app/audit-feature.ts). */
  readonly audit: AuditFeature;
  /** Contacts and contact lists: the tenants' address books and their read model (src/app/contacts-feature.ts). */
  readonly contacts: ContactsFeature;
  /** Campaigns: their commands, the dialer process manager and the read model (src/app/campaigns-feature.ts). */
  readonly campaigns: CampaignsFeature;
  /** Do-not-call lists: the tenants' and the operator's, the 451 at placement and the dialer's screen (src/app/compliance-feature.ts). */
  readonly compliance: ComplianceFeature;
  /** Webhooks: endpoints, the outbox on the log and the delivery worker (src/app/webhooks-feature.ts). */
  readonly webhooks: WebhooksFeature;
  private readonly runners: ProjectionRunner[];
  private readonly dialer: Dialer;
  /** Places single calls that waited for their calling hours (src/reactors/call-scheduler.ts). */
  readonly callScheduler: CallScheduler;
  private readonly scheduledCalls: ScheduledCallQueries;
  /** Every component appends through `store`, wrapped by this, so a request learns its own log position. */
  private readonly appends: AppendRecorder;

  readonly store: EventStore;
  /** Prometheus metrics (src/app/metrics); null with METRICS_ENABLED=false. */
  readonly metrics: EngineMetrics | null;
  private readonly metricsHttp: MetricsDependencies | null;
  /** The one log subscription behind every GET /api/v1/events/stream; ended first on stop. */
  readonly liveEvents: SharedLogFeed;
  private readonly tenantEvents: TenantEventStreams;
  private readonly operatorConsole: OperatorConsole;

  private constructor(
    readonly database: Database,
    unrecordedStore: EventStore,
    readonly telephony: TelephonyPort,
    private readonly ownsDatabase: boolean,
    private readonly ownsStore: boolean,
    private readonly options: EngineOptions,
  ) {
    const { config, clock } = options;
    this.appends = new AppendRecorder();
    this.metrics = config.metricsEnabled
      ? new EngineMetrics({
          db: database.db,
          store: unrecordedStore,
          telephony,
          clock,
          projectionCheckpoints: new Set(readModelProjections.map(checkpointName)),
          livePositions: () => this.consumerPositions(),
        })
      : null;
    const store = (this.store = this.appends.wrap(this.metrics ? this.metrics.instrument(unrecordedStore) : unrecordedStore));
    const frontDoorConfig = frontDoorSettings(config.env);
    this.operatorKeys = new OperatorKeys(store, clock);
    const isOperatorKey = operatorKeyCheck(frontDoorConfig.operatorKeyHash, this.operatorKeys);
    this.metricsHttp = this.metrics ? this.metrics.http(isOperatorKey) : null;
    const callHandler = createCallHandler(store);
    this.accountQueries = new AccountQueries(database.db);
    this.callQueries = new CallQueries(database.db);
    const campaignQueries = new CampaignQueries(database.db, clock);
    this.audio = new AudioFeature({
      config,
      store,
      db: database.db,
      clock,
      // Audio a running or paused campaign plays cannot be deleted (AUDIO_IN_USE).
      usage: { campaignsPlaying: (tenantId, audioId) => campaignQueries.playing(tenantId, audioId) },
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.billing = new BillingFeature({
      store,
      db: database.db,
      clock,
      accounts: this.accountQueries,
      waitFor: (position) => this.waitForProjections(position),
      isOperatorKey,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.audit = new AuditFeature({ store, clock, accounts: this.accountQueries });
    this.contacts = new ContactsFeature({
      config,
      store,
      db: database.db,
      clock,
      accounts: this.accountQueries,
      waitFor: (position) => this.waitForProjections(position),
    });
    this.compliance = new ComplianceFeature({
      config,
      store,
      db: database.db,
      clock,
      accounts: this.accountQueries,
      isOperatorKey,
      waitFor: (position) => this.waitForProjections(position),
      waitForDnc: async (position, timeoutMs) => this.runner('dnc')?.waitFor(position, timeoutMs),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    // The balance hold comes last, so a call refused by an earlier check never holds money.
    const callDefaults = {
      ...config.callDefaults,
      maxDurationForAudio: async (tenantId: string, audioId: string) => {
        const audio = await this.audio.service.readiness(tenantId, audioId);
        return audio.status === 'ready' ? Math.ceil(audio.durationMs / 1000) + BROADCAST_MARGIN_SECONDS : null;
      },
    };
    const scheduledCallHandler = createScheduledCallHandler(store);
    this.calls = new CallService(
      callHandler,
      clock,
      this.accountQueries,
      callDefaults,
      [telephonyAvailable(telephony), this.audio.placement, this.compliance.placement, this.billing.placement],
      undefined,
      { numberZones: phoneTimeZones, handler: scheduledCallHandler },
    );
    this.scheduledCalls = new ScheduledCallQueries(database.db);
    this.callScheduler = new CallScheduler(this.scheduledCalls, scheduledCallHandler, this.calls, clock, options.logger ? { logger: options.logger } : {});
    this.campaigns = new CampaignsFeature({
      store,
      db: database.db,
      clock,
      accounts: this.accountQueries,
      audio: this.audio.service,
      contacts: this.contacts,
      calls: this.calls,
      queries: campaignQueries,
      doNotCall: (tenantId, phones) => this.compliance.screen.listedAmong(tenantId, phones),
      waitFor: (position) => this.waitForProjections(position),
      dialer: { ...config.campaignDialer, ...(options.logger ? { logger: options.logger } : {}) },
    });
    this.accounts = new AccountService(store, clock);
    this.webhooks = new WebhooksFeature({
      config,
      store,
      db: database.db,
      clock,
      ...(options.webhookNetwork ? { network: options.webhookNetwork } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.frontDoor = new FrontDoor(database, clock, this.accounts, (position) => this.waitForProjections(position), frontDoorConfig, isOperatorKey);
    this.runners = readModelProjections.map(
      (projection) =>
        new ProjectionRunner(database.db, store, projection, {
          onError: (error) => options.logger?.error(`projection ${projection.name} failed`, { error: String(error) }),
        }),
    );
    this.dialer = new Dialer(database.db, store, telephony, callHandler, clock, {
      // A call's own audio plays through a signed link to /media; a call without one plays the default.
      mediaFor: (call) => this.audio.mediaFor(call),
      lostCallBilling: options.config.lostCallBilling,
      // The last word on do-not-call, as of the call's own CallDialing (see ARCHITECTURE.md). A
      // million-number import is projected in about a minute; a dial waits that out rather than fail.
      doNotCall: (tenantId, phone, after) => this.compliance.screen.check(tenantId, phone, { after, waitMs: DIAL_DNC_WAIT_MS }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    // The head search starts at the furthest read model: they follow the log closely.
    this.liveEvents = new SharedLogFeed(store, () => this.furthestProjection(), (error) =>
      options.logger?.error('live event feed failed', { error: String(error) }),
    );
    this.tenantEvents = new TenantEventStreams(store, this.liveEvents);
    const projectionNames = new Set(readModelProjections.map(checkpointName));
    this.operatorConsole = new OperatorConsole({
      store,
      isOperator: isOperatorKey,
      health: () => this.health(),
      consumers: () =>
        new Map(
          [...this.consumerPositions()].map(([name, position]) => [name, { position, kind: projectionNames.has(name) ? ('projection' as const) : ('reactor' as const) }]),
        ),
      audit: this.audit.service,
      accountExists: async (accountId) => (await this.accountQueries.account(accountId)) !== null,
    });
    // In-process hand-offs along a campaign slot's turnaround (each would otherwise wait for a
    // subscription hop): a placed attempt's call goes straight to the dialer, and the dialer's
    // writes (a call's end) straight to the campaign dialer. The log still delivers them all.
    this.calls.onAttemptPlaced((stream) => this.dialer.dialPlaced(stream));
    this.dialer.onWritten((events) => this.campaigns.dialer.takeCallEvents(events));
    this.app = createApp(this.httpDependencies(options.logger));
  }

  static async create(options: EngineOptions): Promise<Engine> {
    const { config } = options;
    const database =
      options.database ??
      (await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: `${config.dataDir}/pglite` }));
    let store = options.eventStore;
    if (!store) {
      if (config.eventStoreUrl) {
        const esdb = createEsdbEventStore(config.eventStoreUrl);
        await esdb.connect();
        store = esdb;
      } else {
        store = await createPostgresEventStore(database);
      }
    }
    const callQueries = new CallQueries(database.db);
    const telephony = await options.telephony({ clock: options.clock, inFlightCalls: () => inFlightCallsNow(database.db, store, callQueries) });
    return new Engine(database, store, telephony, !options.database, !options.eventStore, options);
  }

  async start(): Promise<void> {
    await this.frontDoor.start();
    for (const runner of this.runners) await runner.start();
    await this.dialer.start();
    await this.compliance.start();
    await this.billing.start();
    await this.campaigns.start();
    await this.webhooks.start();
    this.callScheduler.start();
  }

  /**
   * A clean stop (SIGTERM): the HTTP server has stopped taking requests before this. Nothing new
   * is started, work under way finishes, every consumer catches up with what was written, each
   * checkpoint is stored, and only then do the stores close — so nothing fails against a closed
   * store and the next start has nothing to redo.
   */
  async stop(): Promise<void> {
    // Open event streams end first, so a server closing around them is not held open by them.
    this.liveEvents.close();
    await this.callScheduler.stop();
    await this.campaigns.dialer.stopClaiming();
    const reactors = [this.dialer, this.billing.reactor, this.compliance.optOuts, this.campaigns.dialer];
    // Calls already placed are dialled and the PBX's facts so far written; then the PBX is let go.
    await this.drain([...reactors, ...this.runners]);
    await this.dialer.stop();
    await this.telephony.close();
    // Charges, opt-outs and campaign records of those facts, then the read models of all of it.
    await this.drain([this.billing.reactor, this.compliance.optOuts, this.campaigns.dialer, ...this.runners]);
    await this.billing.stop();
    await this.compliance.stop();
    await this.campaigns.stop();
    await this.drain(this.runners);
    // Webhooks last among the consumers: whatever the others wrote is queued before the outbox stops.
    await this.webhooks.stop();
    for (const runner of this.runners) await runner.stop();
    // Nothing appends any more: reactors that stopped early step over the tail they ignore.
    for (const reactor of reactors) await reactor.settle().catch((error: unknown) => this.options.logger?.error('checkpoint settle failed', { error: String(error) }));
    await this.frontDoor.stop();
    if (this.ownsStore) await this.store.close();
    if (this.ownsDatabase) await this.database.close();
  }

  /**
   * Waits until every consumer has handled the last event this process appended. Bounded: a
   * consumer that is failing must not hold the stop; it resumes from its checkpoint next time.
   */
  private async drain(consumers: ReadonlyArray<{ progress(): { position: GlobalPosition | null } } | ProjectionRunner>, timeoutMs = 5_000): Promise<void> {
    const head = this.appends.highest;
    if (!head) return;
    const behind = (consumer: (typeof consumers)[number]) => {
      const at = consumer instanceof ProjectionRunner ? consumer.position : consumer.progress().position;
      return at === null || comparePositions(at, head) < 0;
    };
    const deadline = Date.now() + timeoutMs;
    while (consumers.some(behind) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private furthestProjection(): GlobalPosition | null {
    let furthest: GlobalPosition | null = null;
    for (const { position } of this.runners) if (position && (!furthest || comparePositions(position, furthest) > 0)) furthest = position;
    return furthest;
  }

  /** Where each projection and reactor of this process stands in the log, by checkpoint name. */
  private consumerPositions(): Map<string, GlobalPosition | null> {
    const positions = new Map<string, GlobalPosition | null>();
    for (const runner of this.runners) positions.set(runner.checkpointName, runner.position);
    for (const reactor of [this.dialer, this.billing.reactor, this.compliance.optOuts, this.campaigns.dialer]) {
      const { checkpoint, position } = reactor.progress();
      positions.set(checkpoint, position);
    }
    return positions;
  }

  /** Resolves once every read model includes the event at `position`. */
  async waitForProjections(position: GlobalPosition | null, timeoutMs = 10_000): Promise<void> {
    if (!position) return;
    await Promise.all(this.runners.map((runner) => runner.waitFor(position, timeoutMs)));
  }

  runner(name: string): ProjectionRunner | undefined {
    return this.runners.find((runner) => runner.projectionName === name);
  }

  async health(): Promise<HealthReport> {
    const components: HealthReport['components'] = {};
    const check = async (name: string, probe: () => Promise<void>) => {
      try {
        await probe();
        components[name] = { ok: true };
      } catch (error) {
        components[name] = { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    };
    await check('database', async () => void (await sql`select 1`.execute(this.database.db)));
    await check('event_store', () => this.store.ping());
    const telephony = await this.telephony.health().catch((error: unknown) => ({
      ok: false,
      nodes: [{ name: 'telephony', ok: false, detail: String(error) }],
    }));
    for (const node of telephony.nodes) {
      components[`telephony:${node.name}`] = node.detail === undefined ? { ok: node.ok } : { ok: node.ok, detail: node.detail };
    }
    if (telephony.nodes.length === 0) components.telephony = { ok: telephony.ok };
    return { ok: Object.values(components).every((c) => c.ok), components };
  }

  private httpDependencies(logger: Logger | undefined): AppDependencies {
    const caller = (ctx: Parameters<AppDependencies['calls']['place']>[0]) => ({
      tenantId: ctx.principal.tenantId,
      mode: ctx.principal.mode,
      actor: ctx.principal.actor,
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
    });
    return {
      authenticate: this.frontDoor.authenticate,
      frontDoor: this.frontDoor.http,
      calls: {
        place: async (ctx, input) => {
          // The callback URL is judged like an endpoint's (422 WEBHOOK_URL_INVALID / _FORBIDDEN) before anything is written.
          const callback = input.statusCallbackUrl ? await this.webhooks.statusCallback(input.statusCallbackUrl) : null;
          const call = await this.calls.place(caller(ctx), { ...input, statusCallback: callback?.statusCallback ?? null });
          return callback ? { ...call, statusCallbackSecret: callback.secret } : call;
        },
        hangup: (ctx, callId) => this.calls.hangup(caller(ctx), callId),
        list: (tenantId, query) => this.callQueries.list(tenantId, query),
        get: async (tenantId, callId) => {
          // The documented exception to "queries read read models": a call placed a moment ago.
          const found = (await this.callQueries.get(tenantId, callId)) ?? (await callFromStream(this.store, tenantId, callId));
          if (!found) {
            // Not a call (yet): one waiting for its calling hours, or cancelled or refused before it was placed.
            const waiting = await this.scheduledCalls.get(tenantId, callId);
            return waiting ? { call: waiting, timeline: [] } : null;
          }
          return { ...found, charge: await this.billing.chargeOf(tenantId, callId) };
        },
      },
      recordings: {
        list: (tenantId, callId) => this.callQueries.recordings(tenantId, callId),
        file: async (tenantId, callId, name) => {
          const known = await this.callQueries.recordings(tenantId, callId);
          if (!known?.some((recording) => recording.name === name)) return null;
          return this.telephony.recordingFile(name);
        },
      },
      health: () => this.health(),
      consistency: {
        recordAppends: (work, onAppended) => this.appends.record(work, onAppended),
        readModelsReached: async (position, timeoutMs) =>
          (await Promise.all(this.runners.map((runner) => runner.reached(position, timeoutMs)))).every(Boolean),
        waitMs: this.options.config.readYourWritesWaitMs,
      },
      events: {
        follow: (tenantId, after, sink) => this.tenantEvents.follow(tenantId, after, sink),
        heartbeatMs: this.options.config.eventStream.heartbeatMs,
        maxConnectionMs: this.options.config.eventStream.maxConnectionMs,
      },
      ...this.operatorConsole.http(),
      ...this.audio.http(),
      ...this.billing.http(),
      ...this.audit.http(),
      ...this.contacts.http(),
      ...this.campaigns.http(),
      ...this.compliance.http(),
      ...this.webhooks.http(),
      ...(this.metricsHttp ? { metrics: this.metricsHttp } : {}),
      ...(logger ? { logger } : {}),
    };
  }
}
