import type { Kysely } from 'kysely';
import { filter, map, mergeMap, type Subscription } from 'rxjs';
import type { EventStore } from '../adapters/eventstore/port.ts';
import type { CampaignAggregate } from '../commands/campaigns/campaign-aggregate.ts';
import { campaignCodec } from '../commands/campaigns/campaign-codec.ts';
import { callCodec } from '../commands/calls/call-codec.ts';
import type { CampaignAttemptCall, Caller } from '../commands/calls/call-service.ts';
import type { CommandContext } from '../commands/decider.ts';
import { attemptEndOf } from '../domain/campaign/attempt-end.ts';
import { attemptsInFlight, dueToStart } from '../domain/campaign/dialing.ts';
import type { CampaignCommand, RefuseAttempt } from '../domain/campaign/commands.ts';
import type { CampaignState, ExistingCampaign } from '../domain/campaign/state.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { DomainError } from '../domain/shared/errors.ts';
import type { GlobalPosition, RecordedEvent } from '../domain/shared/messages.ts';
import { campaignStream, callStream, categoryOf, idOf } from '../domain/shared/streams.ts';
import { loadCheckpoint, migrateCheckpoints, saveCheckpoint } from '../projections/checkpoints.ts';
import { CampaignPacing } from './campaign-pacing.ts';
import { OrderedCheckpoint } from './ordered-checkpoint.ts';
import { InFlight, settleCheckpoint } from './settle-checkpoint.ts';
import { HandOffs } from './hand-offs.ts';

export interface CampaignCallPlacer {
  placeAttempt(caller: Caller, attempt: CampaignAttemptCall): Promise<'placed' | 'exists'>;
}

export type CampaignDialerOptions = {
  /** How often every watched campaign is looked at again: windows opening, retries coming due, start dates. */
  readonly pollMs?: number;
  /**
   * A claim this old (by the injected clock) whose call this process is not placing is placed by
   * whoever sees it: its dialer died between the claim and the call. The call id is the attempt's,
   * so a call that does exist is recognised, never placed twice.
   */
  readonly orphanAfterMs?: number;
  /**
   * A placement that failed for a passing reason (the PBX unreachable) is tried again after this
   * much real time: it is a fault's back-off, not a campaign rule, so it does not wait for the
   * injected clock (a paused test clock would otherwise strand the attempt).
   */
  readonly placementRetryMs?: number;
  readonly checkpointName?: string;
  readonly logger?: { error(message: string, fields?: object): void };
};

type AttemptRef = { campaignId: string; contactId: string; attempt: number };

const CHECKPOINT = 'reactor:campaign-dialer';
const ACTOR = 'system:campaign-dialer';
/** Call ids remembered (campaign or not); older ones are looked up in the log when they come up. */
const MEMORY = 200_000;

/**
 * The campaign process manager. It never decides who is dialled: the campaign decider does, when it
 * accepts a claim (ContactAttemptStarted) appended with the stream's expected revision, so the
 * concurrent limit holds across processes. This reactor only
 * - asks for claims whenever a slot may have freed or a contact may have become dialable,
 * - places each claimed attempt's call through the same placement as POST /calls (its checks, its
 *   hold), under the attempt's derived call id,
 * - turns the calls' ends and charges back into campaign commands.
 * Every command it sends is idempotent on the campaign stream, so a redelivered event, a second
 * process or a restart repeats nothing.
 */
export class CampaignDialer {
  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly checkpoint = new OrderedCheckpoint();
  private readonly inFlight = new InFlight();
  private saved: RecordedEvent['position'] | null = null;
  private saving: Promise<void> = Promise.resolve();
  /** Campaigns that are not finished: looked at on every poll. */
  private readonly watched = new Set<string>();
  private readonly pumps = new Map<string, { again: boolean; sweep: boolean; done: Promise<void> }>();
  /** Attempts whose call this process is placing now, and those known to have their call. */
  private readonly placing = new Set<string>();
  private readonly placements = new Set<Promise<void>>();
  private readonly placed = new Set<string>();
  /** call id → when (monotonic ms) its placement last failed for a passing reason. */
  private readonly retryAfter = new Map<string, number>();
  /** call id → its attempt, from the claims seen in the log; null for a call no campaign placed. */
  private readonly attempts = new Map<string, AttemptRef | null>();
  private readonly pacing: CampaignPacing;
  private readonly handOffs = new HandOffs();
  private stopped = false;

  constructor(
    private readonly db: Kysely<any>,
    private readonly store: EventStore,
    private readonly campaigns: CampaignAggregate,
    private readonly calls: CampaignCallPlacer,
    private readonly activeCampaigns: () => Promise<ReadonlyArray<{ campaignId: string }>>,
    private readonly clock: Clock,
    private readonly options: CampaignDialerOptions = {},
  ) {
    this.pacing = new CampaignPacing(clock);
  }

  /** How far this reactor has handled the log in memory (its stored checkpoint may trail it); read by /metrics. */
  progress(): { checkpoint: string; position: GlobalPosition | null } {
    return { checkpoint: this.options.checkpointName ?? CHECKPOINT, position: this.checkpoint.position };
  }

  async start(): Promise<void> {
    this.stopped = false;
    await migrateCheckpoints(this.db);
    const name = this.options.checkpointName ?? CHECKPOINT;
    const after = await loadCheckpoint(this.db, name);
    this.saved = after;
    this.subscription = this.store
      .subscribe({ after })
      .pipe(
        map((event) => ({ event, done: this.checkpoint.begin(event.position) })),
        filter(({ event, done }) => {
          if (this.isRelevant(event)) return true;
          done();
          return false;
        }),
        mergeMap(({ event, done }) => this.inFlight.track((this.handOffs.take(event.metadata.eventId) ?? this.react(event)).finally(() => {
          done();
          this.scheduleCheckpointSave(name);
        })), 32),
      )
      .subscribe({ error: (error) => this.log('campaign dialer subscription failed', error) });
    // Campaigns whose events all lie before the checkpoint are only known from the read model.
    for (const { campaignId } of await this.activeCampaigns().catch(() => [])) this.watch(campaignId);
    this.poll();
  }

  /** Shutdown's first step: no more looks, claims or placements; call ends and charges are still recorded until stop(). */
  async stopClaiming(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all([...this.pumps.values()].map((pump) => pump.done));
    await Promise.all([...this.placements]);
  }

  async stop(): Promise<void> {
    await this.stopClaiming();
    this.subscription?.unsubscribe();
    this.subscription = null;
    await this.inFlight.settled();
    await Promise.all([...this.pumps.values()].map((pump) => pump.done));
    await Promise.all([...this.placements]);
    await this.saving;
    await this.persistCheckpoint(this.options.checkpointName ?? CHECKPOINT);
  }

  /**
   * Call events this process has just written (the dialer's: a call's end), handled at once
   * instead of a subscription hop later: the end is recorded and the freed slot claimed sooner.
   * When the log delivers the same event, this reactor waits for that work instead of repeating it.
   */
  takeCallEvents(events: readonly RecordedEvent[]): void {
    if (!this.subscription) return;
    for (const event of events) {
      if (categoryOf(event.streamName) !== 'call' || !this.isRelevant(event)) continue;
      this.handOffs.begin(event.metadata.eventId, () => this.inFlight.track(this.react(event)));
    }
  }

  /** Looks at one campaign now (tests and the API call it after a transition, rather than wait for a poll). */
  nudge(campaignId: string): Promise<void> {
    this.watch(campaignId);
    return this.pump(campaignId, true);
  }

  private poll(): void {
    if (this.stopped) return;
    const all = [...this.watched].map((campaignId) => this.pump(campaignId, true));
    void Promise.all(all).finally(() => {
      if (this.stopped) return;
      this.timer = setTimeout(() => this.poll(), this.options.pollMs ?? 1000);
      this.timer.unref();
    });
  }

  private watch(campaignId: string): void {
    this.watched.add(campaignId);
  }

  /** Once nothing appends any more: the stored checkpoint moves over the events this reactor ignores. */
  async settle(): Promise<void> {
    await settleCheckpoint(this.db, this.store, this.options.checkpointName ?? CHECKPOINT, (event) => this.isRelevant(event));
  }

  private isRelevant(event: RecordedEvent): boolean {
    const category = categoryOf(event.streamName);
    if (category === 'campaign') return true;
    if (category === 'call') return (
        event.type === 'CallRequested' ||
        event.type === 'CallCompleted' ||
        event.type === 'CallFailed' ||
        event.type === 'CallLost' ||
        event.type === 'CallBlocked'
      );
    return category === 'wallet' && event.type === 'CallCharged';
  }

  private async react(event: RecordedEvent): Promise<void> {
    try {
      const category = categoryOf(event.streamName);
      if (category === 'campaign') await this.onCampaignEvent(event);
      else if (category === 'call') await this.onCallEvent(event);
      else await this.onCharge(event);
    } catch (error) {
      this.log(`campaign dialer failed on ${event.type}`, error);
    }
  }

  private async onCampaignEvent(recorded: RecordedEvent): Promise<void> {
    const event = campaignCodec.decode(recorded);
    if (!event) return;
    const campaignId = idOf(recorded.streamName);
    switch (event.type) {
      case 'ContactAttemptStarted':
        this.remember(event.data.callId, { campaignId, contactId: event.data.contactId, attempt: event.data.attempt });
        return;
      case 'ContactAttemptCharged':
        this.attempts.delete(event.data.callId);
        return;
      case 'ContactAttemptEnded':
      case 'ContactAttemptReleased':
        this.placed.delete(event.data.callId);
        this.retryAfter.delete(event.data.callId);
        break;
      case 'CampaignCompleted':
      case 'CampaignCancelled':
        this.watched.delete(campaignId);
        return;
      case 'CampaignCreated':
      case 'CampaignStarted':
      case 'CampaignResumed':
      case 'CampaignScheduled':
        this.watch(campaignId);
        break;
      case 'ContactRetryScheduled':
      case 'CampaignContactsEnrolled':
      case 'CampaignEnrollmentClosed':
        break;
      default:
        return;
    }
    if (this.watched.has(campaignId)) await this.pump(campaignId, false);
  }

  private async onCallEvent(recorded: RecordedEvent): Promise<void> {
    const event = callCodec.decode(recorded);
    if (!event) return;
    if (event.type === 'CallRequested') {
      if (event.data.campaignId === null) this.remember(event.data.callId, null);
      return;
    }
    if (event.type === 'CallBlocked') {
      // The dialer's last check found the number listed: the contact is skipped, as at placement.
      const ref = await this.attemptOf(event.data.callId);
      if (!ref) return;
      const refusal: RefuseAttempt = { type: 'RefuseAttempt', data: { ...ref, callId: event.data.callId, reason: 'dnc', at: this.clock.now().toISOString() } };
      await this.send(ref.campaignId, refusal, recorded);
      return;
    }
    const end = attemptEndOf(event);
    if (!end) return;
    const callId = event.data.callId;
    const ref = await this.attemptOf(callId);
    if (!ref) return;
    // The campaign keeps its times on the engine's clock, as its claims are: the PBX's clock may be
    // off (the call's own stream keeps the PBX's end), and a retry's delay must be counted on the
    // clock the dialer compares it with. A redelivery records nothing, so the time is taken once.
    const endedAt = this.clock.now().toISOString();
    const ended = this.send(ref.campaignId, { type: 'RecordAttemptEnded', data: { ...ref, callId, ...end, endedAt } }, recorded);
    // The claim for the slot this end frees is queued right behind it, so both are decided and
    // appended together instead of the claim waiting for the end to come back from the log.
    if (this.watched.has(ref.campaignId)) void this.pump(ref.campaignId, false);
    await ended;
  }

  private async onCharge(recorded: RecordedEvent): Promise<void> {
    const { callId, amount, evidence } = recorded.data as { callId: string; amount: { amountMinor: number; currency: string }; evidence?: { terminalEventType?: string } };
    // A blocked call's (free) charge only releases its hold: its contact was skipped, it has no attempt to cost.
    if (evidence?.terminalEventType === 'CallBlocked') return;
    const ref = await this.attemptOf(callId);
    if (!ref) return;
    await this.send(ref.campaignId, { type: 'RecordAttemptCharged', data: { ...ref, callId, cost: amount } }, recorded);
  }

  /** The attempt a call belongs to: remembered from its claim, else found from the call's own stream. */
  private async attemptOf(callId: string): Promise<AttemptRef | null> {
    const known = this.attempts.get(callId);
    if (known !== undefined) return known;
    const [first] = await this.store.readStream(callStream(callId), { maxCount: 1 });
    const requested = first ? callCodec.decode(first) : null;
    const campaignId = requested?.type === 'CallRequested' ? requested.data.campaignId : null;
    if (campaignId === null) {
      this.remember(callId, null);
      return null;
    }
    const { state } = await this.campaigns.load(campaignStream(campaignId));
    const ref = state.status === 'Initial' ? null : findAttempt(state, callId);
    this.remember(callId, ref);
    return ref;
  }

  private remember(callId: string, ref: AttemptRef | null): void {
    this.attempts.set(callId, ref);
    if (this.attempts.size > MEMORY) this.attempts.delete(this.attempts.keys().next().value!);
  }

  /**
   * Runs one look at the campaign at a time per campaign in this process; a request that comes while
   * one runs is folded into a single rerun after it, so a burst of call ends costs a few claims.
   */
  private pump(campaignId: string, sweep: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const running = this.pumps.get(campaignId);
    if (running) {
      running.again = true;
      running.sweep ||= sweep;
      return running.done;
    }
    const entry = { again: false, sweep, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          const sweepNow = entry.sweep;
          entry.again = false;
          entry.sweep = false;
          await this.look(campaignId, sweepNow).catch((error) => this.log(`campaign ${campaignId}: look failed`, error));
        } while (entry.again && !this.stopped);
      } finally {
        this.pumps.delete(campaignId);
      }
    })();
    this.pumps.set(campaignId, entry);
    return entry.done;
  }

  private async look(campaignId: string, sweep: boolean): Promise<void> {
    const stream = campaignStream(campaignId);
    // A look after a call's end trusts the cached state (the claim below is decided on the fresh
    // one anyway); a poll reads the stream, for what other processes did.
    let { state } = (!sweep && cachedCampaign(this.campaigns, stream)) || (await this.campaigns.load(stream));
    if (state.status === 'Initial') return;
    if (state.status === 'Completed' || state.status === 'Cancelled') {
      this.watched.delete(campaignId);
      return;
    }
    const now = this.clock.now();
    if (dueToStart(state, now)) {
      state = await this.send(campaignId, { type: 'StartScheduledCampaign', data: { campaignId, at: now.toISOString() } }, null);
    }
    if (state.status === 'Running') {
      const budget = this.pacing.budget(campaignId, state.settings.callsPerSecond);
      if (budget > 0) {
        const result = await this.campaigns.handle(stream, { type: 'ClaimAttempts', data: { campaignId, max: budget, at: now.toISOString() } }, this.context(state.tenantId, null));
        const claims = result.appended.filter((event) => event.type === 'ContactAttemptStarted');
        this.pacing.spend(campaignId, claims.length);
        state = result.state;
        for (const claim of claims) {
          const data = claim.data as { contactId: string; attempt: number; callId: string };
          this.remember(data.callId, { campaignId, contactId: data.contactId, attempt: data.attempt });
          this.track(this.place(state as ExistingCampaign, data, claim.metadata, result.position));
        }
      }
    }
    if (sweep && (state.status === 'Running' || state.status === 'Paused')) this.placeStranded(state, now);
  }

  /** Claimed attempts with no call this process knows of: a dead dialer's, or a placement that failed. */
  private placeStranded(state: ExistingCampaign, now: Date): void {
    const orphanAfter = this.options.orphanAfterMs ?? 10_000;
    const retry = this.options.placementRetryMs ?? 1000;
    for (const attempt of attemptsInFlight(state)) {
      if (this.placing.has(attempt.callId) || this.placed.has(attempt.callId)) continue;
      const failedAt = this.retryAfter.get(attempt.callId);
      if (failedAt !== undefined) {
        if (performance.now() < failedAt + retry) continue;
      } else {
        const contact = state.roster.contacts.get(state.roster.indexOf.get(attempt.contactId)!);
        if (contact?.status !== 'dialing' || now.getTime() - Date.parse(contact.since) < orphanAfter) continue;
      }
      this.track(this.place(state, attempt, null));
    }
  }

  /** Placements run beside the looks; stop() waits for them so none is cut off halfway. */
  private track(placement: Promise<void>): void {
    this.placements.add(placement);
    void placement.finally(() => this.placements.delete(placement));
  }

  private async place(
    state: ExistingCampaign,
    attempt: { contactId: string; attempt: number; callId: string },
    claim: { eventId: string; correlationId: string } | null,
    claimedAt: GlobalPosition | null = null,
  ): Promise<void> {
    const { callId } = attempt;
    if (this.placing.has(callId)) return;
    this.placing.add(callId);
    const contact = state.roster.contacts.get(state.roster.indexOf.get(attempt.contactId)!)!;
    const { settings, campaignId, tenantId } = state;
    const caller: Caller = {
      tenantId,
      mode: settings.mode,
      actor: ACTOR,
      correlationId: claim?.correlationId ?? campaignId,
      requestId: claim?.eventId ?? callId,
    };
    try {
      await this.calls.placeAttempt(caller, {
        callId,
        campaignId,
        to: contact.phone,
        callerId: settings.callerId,
        audioId: settings.audioId,
        maxDurationSeconds: settings.maxDurationSeconds,
        optOutDigit: settings.optOutDigit,
        ...(claimedAt ? { claimedAt } : {}),
      });
      this.placed.add(callId);
      this.retryAfter.delete(callId);
    } catch (error) {
      const reason = refusalReason(error);
      if (reason) {
        const refusal: RefuseAttempt = {
          type: 'RefuseAttempt',
          data: { campaignId, contactId: attempt.contactId, attempt: attempt.attempt, callId, reason, at: this.clock.now().toISOString() },
        };
        await this.send(campaignId, refusal, null).catch((failure) => this.log(`campaign ${campaignId}: refusal not recorded`, failure));
      } else {
        this.retryAfter.set(callId, performance.now());
        this.log(`campaign ${campaignId}: call ${callId} not placed yet`, error);
      }
    } finally {
      this.placing.delete(callId);
    }
  }

  private async send(campaignId: string, command: CampaignCommand, cause: RecordedEvent | null): Promise<CampaignState> {
    const stream = campaignStream(campaignId);
    // Only the tenant is needed here, which never changes: a cached state will do.
    const { state } = cachedCampaign(this.campaigns, stream) ?? (await this.campaigns.load(stream));
    if (state.status === 'Initial') return state;
    return (await this.campaigns.handle(stream, command, this.context(state.tenantId, cause))).state;
  }

  private context(tenantId: string, cause: RecordedEvent | null): CommandContext {
    const id = cause?.metadata.eventId ?? crypto.randomUUID();
    return { now: this.clock.now(), tenantId, actor: ACTOR, correlationId: cause?.metadata.correlationId ?? id, causationId: id };
  }

  private scheduleCheckpointSave(name: string): void {
    this.saving = this.saving.then(() => this.persistCheckpoint(name)).catch((error) => this.log('campaign dialer checkpoint save failed', error));
  }

  private async persistCheckpoint(name: string): Promise<void> {
    const position = this.checkpoint.position;
    if (!this.checkpoint.isAfter(position, this.saved)) return;
    await saveCheckpoint(this.db, name, position!);
    this.saved = position;
  }

  private log(message: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    if (this.options.logger) this.options.logger.error(message, { error: detail });
    else console.error(`${message}: ${detail}`);
  }
}

/** A campaign's cached state, when it is one: a cached "no such campaign yet" is read again. */
function cachedCampaign(campaigns: CampaignAggregate, stream: string): { state: CampaignState } | null {
  const cached = campaigns.peek(stream);
  return cached && cached.state.status !== 'Initial' ? cached : null;
}

/** Refusals that are the contact's or the account's, not passing faults: they end or release the attempt. */
function refusalReason(error: unknown): RefuseAttempt['data']['reason'] | null {
  if (!(error instanceof DomainError)) return null;
  if (error.code === 'INSUFFICIENT_BALANCE') return 'insufficient_balance';
  if (error.code === 'DNC_LISTED') return 'dnc';
  if (error.code === 'INVALID_PHONE_NUMBER') return 'invalid_number';
  if (error.code === 'NO_RATE_FOR_DESTINATION') return 'unpriced_destination';
  return null;
}

function findAttempt(state: ExistingCampaign, callId: string): AttemptRef | null {
  for (const contact of state.roster.contacts) {
    const record = contact.attempts.find((candidate) => candidate.callId === callId);
    if (record) return { campaignId: state.campaignId, contactId: contact.contactId, attempt: record.attempt };
    if (contact.status === 'dialing' && contact.callId === callId) return { campaignId: state.campaignId, contactId: contact.contactId, attempt: contact.attempt };
  }
  return null;
}
