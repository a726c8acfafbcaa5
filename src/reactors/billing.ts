import type { GlobalPosition } from '../domain/shared/messages.ts';
import type { Kysely } from 'kysely';
import { filter, map, mergeMap, type Subscription } from 'rxjs';
import type { EventStore } from '../adapters/eventstore/port.ts';
import type { BillingService, Evidence } from '../commands/billing/billing-service.ts';
import { callCodec } from '../commands/calls/call-codec.ts';
import type { CommandContext } from '../commands/decider.ts';
import { BLOCKED_CAUSE_TEXT, type CallEvent, type CallEventOf } from '../domain/call/events.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { RecordedEvent } from '../domain/shared/messages.ts';
import { callStream, categoryOf, idOf } from '../domain/shared/streams.ts';
import { loadCheckpoint, migrateCheckpoints, saveCheckpoint } from '../projections/checkpoints.ts';
import { OrderedCheckpoint } from './ordered-checkpoint.ts';
import { InFlight, settleCheckpoint } from './settle-checkpoint.ts';

export type BillingReactorOptions = {
  readonly concurrency?: number;
  readonly logger?: { error(message: string, fields?: object): void };
  /** Checkpoint name; tests give a second reactor its own to replay the log from the start. */
  readonly checkpointName?: string;
};

export type ChargeOutcome = 'charged' | 'already_charged' | 'test_mode' | 'not_billable';

const CHECKPOINT = 'reactor:billing';

/**
 * Call events → wallet commands. On a call's terminal event (CallCompleted / CallFailed / CallLost) it charges
 * the wallet for the call's billable time, with the rate held at placement, and releases the hold.
 * The call id is the charge's idempotency key: a redelivered event, a replay from an older
 * checkpoint or a second reactor process decides nothing the second time.
 */
export class BillingReactor {
  private subscription: Subscription | null = null;
  private readonly checkpoint = new OrderedCheckpoint();
  private readonly inFlight = new InFlight();
  private saved: RecordedEvent['position'] | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly name: string;

  constructor(
    private readonly db: Kysely<any>,
    private readonly store: EventStore,
    private readonly billing: BillingService,
    private readonly clock: Clock,
    private readonly options: BillingReactorOptions = {},
  ) {
    this.name = options.checkpointName ?? CHECKPOINT;
  }

  /** How far this reactor has handled the log in memory (its stored checkpoint may trail it); read by /metrics. */
  progress(): { checkpoint: string; position: GlobalPosition | null } {
    return { checkpoint: this.name, position: this.checkpoint.position };
  }

  async start(): Promise<void> {
    await migrateCheckpoints(this.db);
    const after = await loadCheckpoint(this.db, this.name);
    this.saved = after;
    this.subscription = this.store
      .subscribe({ after })
      .pipe(
        map((event) => ({ event, done: this.checkpoint.begin(event.position) })),
        filter(({ event, done }) => {
          if (isTerminalCallEvent(event)) return true;
          done();
          return false;
        }),
        mergeMap(({ event, done }) => this.inFlight.track(this.react(event, done)), this.options.concurrency ?? 32),
      )
      .subscribe({ error: (error) => this.log('billing subscription failed', error) });
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = null;
    // Charges already under way finish before the stores close under them.
    await this.inFlight.settled();
    await this.saving;
    await this.persistCheckpoint();
  }

  /** Once nothing appends any more: the stored checkpoint moves over the events billing ignores. */
  async settle(): Promise<void> {
    await settleCheckpoint(this.db, this.store, this.name, isTerminalCallEvent);
  }

  /** Position of the last event below which every terminal event has been handled. */
  get position(): RecordedEvent['position'] | null {
    return this.checkpoint.position;
  }

  /** Charges the call whose terminal event this is. Public so tests can deliver an event again. */
  async charge(terminal: RecordedEvent): Promise<ChargeOutcome> {
    const callId = idOf(terminal.streamName);
    const history = await this.store.readStream(callStream(callId));
    const events = history.map((recorded) => ({ recorded, event: callCodec.decode(recorded) }));
    const requested = events.find((e) => e.event?.type === 'CallRequested');
    if (!requested?.event) return 'not_billable';
    const request = (requested.event as CallEventOf<'CallRequested'>).data;
    if (request.mode === 'test') return 'test_mode';

    const accountId = requested.recorded.metadata.tenantId;
    // The hold's rate is what the call is charged at: a recent cached wallet usually has it; one
    // that does not (another process held it a moment ago) is read fresh.
    let wallet = await this.billing.recentWallet(accountId);
    if (!wallet.charged.has(callId) && !wallet.reservations.has(callId)) wallet = await this.billing.wallet(accountId);
    if (wallet.charged.has(callId)) return 'already_charged';
    const held = wallet.reservations.get(callId);
    // A call placed before billing was set up has no hold: price it as the reservation would have.
    const applied = held?.applied ?? (await this.billing.rateFor(accountId, wallet, request.to, request.requestedAt));
    const currency = wallet.currency;
    if (!currency) return 'not_billable';

    const decoded = callCodec.decode(terminal) as CallEvent | null;
    if (!decoded) return 'not_billable';
    const evidence = evidenceOf(decoded, terminal, request.requestedAt);
    if (!evidence) return 'not_billable';
    const now = this.clock.now();
    const context: CommandContext = {
      now,
      tenantId: accountId,
      actor: 'system:billing',
      correlationId: terminal.metadata.correlationId,
      causationId: terminal.metadata.eventId,
    };
    const result = await this.billing.charge(context, accountId, { callId, destination: request.to, applied, evidence, currency });
    return result.charged ? 'charged' : 'already_charged';
  }

  private async react(event: RecordedEvent, done: () => void): Promise<void> {
    try {
      await this.charge(event);
    } catch (error) {
      this.log(`billing failed for ${event.streamName}`, error);
    } finally {
      done();
      this.saving = this.saving.then(() => this.persistCheckpoint()).catch((error) => this.log('checkpoint save failed', error));
    }
  }

  private async persistCheckpoint(): Promise<void> {
    const position = this.checkpoint.position;
    if (!this.checkpoint.isAfter(position, this.saved)) return;
    await saveCheckpoint(this.db, this.name, position!);
    this.saved = position;
  }

  private log(message: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    if (this.options.logger) this.options.logger.error(message, { error: detail });
    else console.error(`${message}: ${detail}`);
  }
}

function isTerminalCallEvent(event: RecordedEvent): boolean {
  return categoryOf(event.streamName) === 'call' && (event.type === 'CallCompleted' || event.type === 'CallFailed' || event.type === 'CallLost' || event.type === 'CallBlocked');
}

/** The facts of the terminal event, as the charge will carry them. */
export function evidenceOf(event: CallEvent, recorded: RecordedEvent, requestedAt: string): Evidence | null {
  if (event.type === 'CallCompleted') {
    return {
      attempt: 'answered',
      requestedAt,
      answeredAt: event.data.answeredAt,
      endedAt: event.data.endedAt,
      billableMs: event.data.billableMs,
      cause: event.data.cause,
      causeText: event.data.causeText,
      outcome: 'COMPLETED',
      terminalEventId: recorded.metadata.eventId,
      terminalEventType: 'CallCompleted',
    };
  }
  if (event.type === 'CallLost') {
    // The billable time was fixed by the operator's rule when the loss was recorded (CallLost.billingRule).
    return {
      attempt: event.data.billingRule === 'not_billed' ? 'waived' : 'answered',
      requestedAt,
      answeredAt: event.data.answeredAt,
      endedAt: event.data.detectedAt,
      billableMs: event.data.billableMs,
      cause: null,
      causeText: event.data.reason,
      outcome: 'LOST',
      terminalEventId: recorded.metadata.eventId,
      terminalEventType: 'CallLost',
    };
  }
  if (event.type === 'CallFailed') {
    return {
      // A failure with a Q.850 cause came from a carrier that saw the attempt; one without never reached one.
      attempt: event.data.cause === null ? 'not_dialled' : 'unanswered',
      requestedAt,
      answeredAt: null,
      endedAt: event.data.endedAt,
      billableMs: 0,
      cause: event.data.cause,
      causeText: event.data.causeText,
      outcome: event.data.outcome,
      terminalEventId: recorded.metadata.eventId,
      terminalEventType: 'CallFailed',
    };
  }
  if (event.type === 'CallBlocked') {
    // Stopped by the do-not-call check before any originate: nothing to charge, the hold is released.
    return {
      attempt: 'not_dialled',
      requestedAt,
      answeredAt: null,
      endedAt: event.data.blockedAt,
      billableMs: 0,
      cause: null,
      causeText: BLOCKED_CAUSE_TEXT,
      outcome: 'BLOCKED',
      terminalEventId: recorded.metadata.eventId,
      terminalEventType: 'CallBlocked',
    };
  }
  return null;
}
