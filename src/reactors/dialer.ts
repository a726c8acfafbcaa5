import type { Kysely } from 'kysely';
import { concatMap, filter, groupBy, map, mergeMap, type Subscription } from 'rxjs';
import type { EventStore } from '../adapters/eventstore/port.ts';
import {
  OriginateOutcomeUnknownError,
  TelephonyUnavailableError,
  type TelephonyOutcome,
  type TelephonyPort,
} from '../adapters/telephony/port.ts';
import { channelIdFor } from '../domain/call/channel-id.ts';
import type { CallHandler } from '../commands/calls/call-service.ts';
import { recordedFrom } from '../commands/command-handler.ts';
import type { CommandContext } from '../commands/decider.ts';
import type { CallCommand } from '../domain/call/commands.ts';
import type { CallEventOf, LostCallBillingRule } from '../domain/call/events.ts';
import { classifyHangup } from '../domain/call/q850.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { InvalidTransitionError } from '../domain/shared/errors.ts';
import type { GlobalPosition, RecordedEvent } from '../domain/shared/messages.ts';
import { callStream, categoryOf } from '../domain/shared/streams.ts';
import { loadCheckpoint, migrateCheckpoints, saveCheckpoint } from '../projections/checkpoints.ts';
import { OrderedCheckpoint } from './ordered-checkpoint.ts';
import { InFlight, settleCheckpoint } from './settle-checkpoint.ts';
import { HandOffs } from './hand-offs.ts';

export type DialerOptions = {
  /** What the PBX plays once the call is answered: a `sound:` URI. */
  readonly mediaFor: (call: CallEventOf<'CallRequested'>['data']) => Promise<string>;
  /** Originates and hangups handled at once; the telephony adapter paces per trunk on its own. */
  readonly concurrency?: number;
  readonly logger?: { error(message: string, fields?: object): void };
  /** The operator's rule for answered calls whose end no PBX reported (LOST_CALL_BILLING). */
  readonly lostCallBilling?: LostCallBillingRule;
  /**
   * The do-not-call list as it stands once every change ordered before `after` is included: the
   * last check, between the call's CallDialing (at `after`) and its originate. Absent: no check.
   */
  readonly doNotCall?: (tenantId: string, phone: string, after: GlobalPosition) => Promise<{ readonly scope: 'tenant' | 'operator' } | null>;
};

const CHECKPOINT = 'reactor:dialer';
/** Call streams kept as this dialer last wrote or read them, for the calls it is still handling. */
const STREAMS_KEPT = 5_000;

/**
 * The side-effecting half of a call: it turns CallRequested into an originate and the PBX's facts
 * back into commands.
 *
 * Never dialling twice rests on a claim written before the side effect: the dialer first appends
 * CallDialing with an expected revision. Only the writer whose append succeeded originates; a
 * redelivered CallRequested (or a second dialer process) decides nothing and dials nothing. If the
 * process dies between the claim and the originate, the call stays DIALING with no channel, and the
 * telephony adapter's reconciliation ends it as lost rather than dialling the person again.
 *
 * Between that claim and the originate it reads the do-not-call list as of the claim's own log
 * position. A listing ordered before CallDialing is therefore always seen, whatever path placed
 * the call (POST /calls, a scheduled call, a campaign attempt), and ends the call as CallBlocked;
 * a listing ordered after it came too late, and the log shows which. That is what
 * `calltrail audit compliance` verifies for every dialled call.
 */
export class Dialer {
  private subscriptions: Subscription[] = [];
  private readonly checkpoint = new OrderedCheckpoint();
  private readonly inFlight = new InFlight();
  private saved: RecordedEvent['position'] | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly handOffs = new HandOffs();
  private readonly writtenListeners = new Set<(events: readonly RecordedEvent[]) => void>();
  private accepting = false;
  /** stream → its events as this dialer last saw them: the next write decides on them without a read. */
  private readonly streams = new Map<string, readonly RecordedEvent[]>();

  constructor(
    private readonly db: Kysely<any>,
    private readonly store: EventStore,
    private readonly telephony: TelephonyPort,
    private readonly calls: CallHandler,
    private readonly clock: Clock,
    private readonly options: DialerOptions,
  ) {}

  /** How far this reactor has handled the log in memory (its stored checkpoint may trail it); read by /metrics. */
  progress(): { checkpoint: string; position: GlobalPosition | null } {
    return { checkpoint: CHECKPOINT, position: this.checkpoint.position };
  }

  async start(): Promise<void> {
    await migrateCheckpoints(this.db);
    const after = await loadCheckpoint(this.db, CHECKPOINT);
    this.saved = after;
    const concurrency = this.options.concurrency ?? 64;
    this.accepting = true;

    this.subscriptions.push(
      this.store
        .subscribe({ after })
        .pipe(
          // Positions are registered in log order, before any concurrency, so the checkpoint can
          // never move past an event still waiting for its turn.
          map((event) => ({ event, done: this.checkpoint.begin(event.position) })),
          filter(({ event, done }) => {
            if (isDialerEvent(event)) return true;
            done();
            return false;
          }),
          mergeMap(({ event, done }) => this.inFlight.track(this.react(event, done)), concurrency),
        )
        .subscribe({ error: (error) => this.log('dialer subscription failed', error) }),
    );

    this.subscriptions.push(
      this.telephony.outcomes
        .pipe(
          groupBy((outcome) => outcome.callId),
          mergeMap((perCall) => perCall.pipe(concatMap((outcome) => this.inFlight.track(this.record(outcome))))),
        )
        .subscribe({ error: (error) => this.log('telephony outcome stream failed', error) }),
    );
  }

  /**
   * A call this process has just written (its stream so far, ending with CallRequested), dialled
   * at once rather than a subscription hop later. Its MarkDialing is decided on that history, so
   * it reads nothing first; the expected revision still makes it the only claim that dials. When
   * the log delivers the same CallRequested, the dialer waits for this work instead of repeating it.
   */
  dialPlaced(stream: readonly RecordedEvent[]): void {
    const requested = stream.at(-1);
    if (!this.accepting || !requested || requested.type !== 'CallRequested' || !isDialerEvent(requested)) return;
    this.handOffs.begin(requested.metadata.eventId, () => this.inFlight.track(this.handle(requested, stream)));
  }

  /** Every event this dialer appends, handed on in-process as soon as it is written (see dialPlaced). */
  onWritten(listener: (events: readonly RecordedEvent[]) => void): () => void {
    this.writtenListeners.add(listener);
    return () => this.writtenListeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.accepting = false;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    // Originates and PBX facts already under way are written before the stores close.
    await this.inFlight.settled();
    await this.saving;
    await this.persistCheckpoint();
  }

  /** Once nothing appends any more: the stored checkpoint moves over the events the dialer ignores. */
  async settle(): Promise<void> {
    await settleCheckpoint(this.db, this.store, CHECKPOINT, isDialerEvent);
  }

  private async react(event: RecordedEvent, done: () => void): Promise<void> {
    try {
      // Handed off when it was written: the checkpoint waits for that work rather than redo it.
      await (this.handOffs.take(event.metadata.eventId) ?? this.handle(event));
    } finally {
      done();
      this.scheduleCheckpointSave();
    }
  }

  /** `known`: the call's stream as this process just wrote it, when it was handed off. */
  private async handle(event: RecordedEvent, known?: readonly RecordedEvent[]): Promise<void> {
    try {
      if (event.type === 'CallRequested') await this.dial(event as unknown as RecordedEvent & CallEventOf<'CallRequested'>, known);
      else await this.telephony.hangup((event.data as { callId: string }).callId);
    } catch (error) {
      this.log(`dialer failed on ${event.type}`, error);
    }
  }

  /**
   * decide → append on the call's stream as this dialer last saw it (read first when it has not),
   * and the appended events handed on in-process. The stream is kept until the call ends, so the
   * PBX's facts of a call this process dials (answer, hangup) cost one statement each.
   */
  private async write(
    stream: string,
    command: CallCommand,
    context: CommandContext | ((history: readonly RecordedEvent[]) => CommandContext),
    known?: readonly RecordedEvent[],
  ): Promise<Awaited<ReturnType<CallHandler['handle']>>> {
    const result = await this.calls.handle(stream, command, context, { known: known ?? this.streams.get(stream) });
    const written = recordedFrom(stream, result);
    this.streams.delete(stream);
    if (result.state.status !== 'Ended') {
      this.streams.set(stream, [...result.history, ...written]);
      if (this.streams.size > STREAMS_KEPT) this.streams.delete(this.streams.keys().next().value!);
    }
    if (written.length > 0) {
      for (const listener of this.writtenListeners) {
        try {
          listener(written);
        } catch (error) {
          this.log('a listener of the dialer\'s writes failed', error);
        }
      }
    }
    return result;
  }

  private async dial(event: RecordedEvent & CallEventOf<'CallRequested'>, known?: readonly RecordedEvent[]): Promise<void> {
    const call = event.data;
    const now = this.clock.now();
    let claimed: boolean;
    let dialingAt: GlobalPosition | null = null;
    try {
      const claim = await this.write(
        callStream(call.callId),
        { type: 'MarkDialing', data: { callId: call.callId, channelId: channelIdFor(call.callId), at: now.toISOString() } },
        this.systemContext(event, now),
        known,
      );
      claimed = claim.appended.length > 0;
      dialingAt = claim.position;
    } catch (error) {
      // The call is already past dialling (a redelivery after restart): someone dialled it before.
      if (error instanceof InvalidTransitionError) return;
      throw error;
    }
    if (!claimed) return; // someone already claimed it: never dial twice
    if (await this.blockedByDoNotCall(event, dialingAt)) return;
    const media = await this.options.mediaFor(call);

    try {
      await this.telephony.originate({
        callId: call.callId,
        tenantId: call.tenantId,
        to: call.to,
        callerId: call.from,
        media,
        record: call.record,
        ringTimeoutSeconds: call.ringTimeoutSeconds,
        maxDurationSeconds: call.maxDurationSeconds,
        testMode: call.mode === 'test',
      });
    } catch (error) {
      // The channel may exist: the adapter keeps watching and will report what really happened.
      if (error instanceof OriginateOutcomeUnknownError) {
        this.log(`originate of call ${call.callId} unconfirmed`, error);
        return;
      }
      const unavailable = error instanceof TelephonyUnavailableError;
      await this.write(
        callStream(call.callId),
        {
          type: 'FailCall',
          data: {
            callId: call.callId,
            outcome: unavailable ? 'CONGESTION' : 'FAILED',
            cause: null,
            causeText: unavailable ? 'telephony unavailable' : 'originate refused',
            reason: error instanceof Error ? error.message.slice(0, 500) : String(error),
            at: this.clock.now().toISOString(),
          },
        },
        this.systemContext(event, this.clock.now()),
      );
    }
  }

  /**
   * True when the call must not be dialled: listed as of its CallDialing (recorded CallBlocked), or
   * the list could not be read (recorded as a failure before the carrier: a call is never dialled
   * on an unanswered check).
   */
  private async blockedByDoNotCall(event: RecordedEvent & CallEventOf<'CallRequested'>, dialingAt: GlobalPosition | null): Promise<boolean> {
    const check = this.options.doNotCall;
    if (!check || dialingAt === null) return false;
    const call = event.data;
    const stream = callStream(call.callId);
    let listing: { scope: 'tenant' | 'operator' } | null;
    try {
      listing = await check(call.tenantId, call.to, dialingAt);
    } catch (error) {
      this.log(`do-not-call check for call ${call.callId} failed; not dialling it`, error);
      const at = this.clock.now();
      await this.write(
        stream,
        {
          type: 'FailCall',
          data: { callId: call.callId, outcome: 'FAILED', cause: null, causeText: 'do-not-call check unavailable', reason: 'the do-not-call list could not be read before dialling', at: at.toISOString() },
        },
        this.systemContext(event, at),
      );
      return true;
    }
    if (!listing) return false;
    const at = this.clock.now();
    await this.write(stream, { type: 'BlockCall', data: { callId: call.callId, scope: listing.scope, at: at.toISOString() } }, this.systemContext(event, at));
    return true;
  }

  /** A PBX fact becomes a command on the call's stream; replays of a fact are no-ops in the decider. */
  private async record(outcome: TelephonyOutcome): Promise<void> {
    const command = commandFor(outcome, this.options.lostCallBilling ?? 'until_last_seen');
    if (!command) return;
    const now = this.clock.now();
    const stream = callStream(outcome.callId);
    const context = (history: readonly RecordedEvent[]) => outcomeContext(history, outcome, now);
    try {
      await this.write(stream, command, context);
    } catch (error) {
      if (command.type === 'CompleteCall' && error instanceof InvalidTransitionError) {
        // The PBX says the call was answered, but the answer never reached the log (its event was
        // lost in a disconnect). Without an answer time it cannot be billed honestly: end it as LOST.
        await this
          .write(stream, lostAfterUnrecordedAnswer(command), context)
          .catch((second) => this.log(`could not end call ${outcome.callId}`, second));
        return;
      }
      this.log(`could not record ${outcome.kind} for call ${outcome.callId}`, error);
    }
  }

  private systemContext(cause: RecordedEvent, now: Date): CommandContext {
    return {
      now,
      tenantId: cause.metadata.tenantId,
      actor: 'system:dialer',
      correlationId: cause.metadata.correlationId,
      causationId: cause.metadata.eventId,
    };
  }

  private scheduleCheckpointSave(): void {
    this.saving = this.saving.then(() => this.persistCheckpoint()).catch((error) => this.log('checkpoint save failed', error));
  }

  private async persistCheckpoint(): Promise<void> {
    const position = this.checkpoint.position;
    if (!this.checkpoint.isAfter(position, this.saved)) return;
    await saveCheckpoint(this.db, CHECKPOINT, position!);
    this.saved = position;
  }

  private log(message: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    if (this.options.logger) this.options.logger.error(message, { error: detail });
    else console.error(`${message}: ${detail}`);
  }
}

function isDialerEvent(event: RecordedEvent): boolean {
  return categoryOf(event.streamName) === 'call' && (event.type === 'CallRequested' || event.type === 'HangupRequested');
}

/** Facts from the PBX carry the call's own correlation; their cause is the originate (CallDialing). */
function outcomeContext(history: readonly RecordedEvent[], outcome: TelephonyOutcome, now: Date): CommandContext {
  const requested = history[0];
  const dialing = history.find((event) => event.type === 'CallDialing');
  return {
    now,
    tenantId: requested?.metadata.tenantId ?? outcome.tenantId,
    actor: 'system:telephony',
    correlationId: requested?.metadata.correlationId ?? outcome.callId,
    causationId: (dialing ?? requested)?.metadata.eventId ?? outcome.callId,
  };
}

export function commandFor(outcome: TelephonyOutcome, lostCallBilling: LostCallBillingRule): CallCommand | null {
  const { callId } = outcome;
  switch (outcome.kind) {
    case 'ringing':
      return { type: 'MarkRinging', data: { callId, at: outcome.at } };
    case 'answered':
      return { type: 'MarkAnswered', data: { callId, at: outcome.at } };
    case 'playback_started':
    case 'playback_finished':
      return {
        type: 'RecordPlayback',
        data: {
          callId,
          phase: outcome.kind === 'playback_started' ? 'started' : 'finished',
          playbackId: outcome.playbackId,
          media: outcome.media,
          at: outcome.at,
        },
      };
    case 'dtmf':
      return { type: 'RecordDtmf', data: { callId, digit: outcome.digit, at: outcome.at } };
    case 'recording_stored':
      return {
        type: 'RecordRecording',
        data: { callId, name: outcome.name, format: outcome.format, durationSeconds: Math.round(outcome.durationSeconds), at: outcome.at },
      };
    case 'ended':
      return endCommand(outcome, lostCallBilling);
  }
}

function lostAfterUnrecordedAnswer(command: Extract<CallCommand, { type: 'CompleteCall' }>): CallCommand {
  const { callId, cause, causeText, at } = command.data;
  return {
    type: 'FailCall',
    data: { callId, outcome: 'LOST', cause, causeText, reason: 'ended after an answer that was never recorded', at },
  };
}

/**
 * An end with no cause was never reported by a PBX: the adapter found the channel gone. Whether
 * the call had been answered is the log's to say (the decider), not the adapter's memory, and no
 * Q.850 cause is made up for it.
 */
function endCommand(outcome: Extract<TelephonyOutcome, { kind: 'ended' }>, billingRule: LostCallBillingRule): CallCommand {
  const { callId, at } = outcome;
  if (outcome.cause === null) {
    const reason = outcome.reason ?? outcome.causeText;
    return { type: 'RecordLoss', data: { callId, lastSeenAt: outcome.lastSeenAt ?? null, reason, billingRule, at } };
  }
  if (outcome.answered) {
    return { type: 'CompleteCall', data: { callId, cause: outcome.cause, causeText: outcome.causeText, at } };
  }
  const verdict = classifyHangup({ cause: outcome.cause, answered: false });
  const failure = verdict.kind === 'failed' ? verdict.outcome : 'FAILED';
  return {
    type: 'FailCall',
    data: { callId, outcome: failure, cause: outcome.cause, causeText: outcome.causeText, reason: outcome.reason, at },
  };
}
