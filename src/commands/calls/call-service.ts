import type { EventStore } from '../../adapters/eventstore/port.ts';
import { callDecider } from '../../domain/call/index.ts';
import type { CallCommand, PlaceCall } from '../../domain/call/commands.ts';
import type { CallEvent } from '../../domain/call/events.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { GlobalPosition, RecordedEvent } from '../../domain/shared/messages.ts';
import { toE164 } from '../../domain/shared/phone.ts';
import { callStream } from '../../domain/shared/streams.ts';
import { foldCallRow } from '../../projections/calls/fold.ts';
import type { CallRow } from '../../projections/calls/types.ts';
import { CommandHandler, recordedFrom, type CommandResult } from '../command-handler.ts';
import type { CommandContext } from '../decider.ts';
import { callCodec } from './call-codec.ts';
import { runPlacementSteps, type PlacementStep, type PlannedCall } from './placement.ts';
import { effectiveCallingHours, judgeCallingHours, OutsideCallingHoursError } from '../../domain/call/calling-hours.ts';
import type { CallingHoursPolicy } from '../../domain/shared/calling-hours.ts';
import type { ScheduledRequest } from '../../domain/scheduled-call/index.ts';
import { scheduledCallStream } from '../../domain/shared/streams.ts';
import { loadScheduledCall, scheduleCall, type ScheduledCallHandler } from './scheduled-calls.ts';

export type Caller = {
  readonly tenantId: string;
  /** From the API key: test-mode calls go to the simulator/test trunk and are never charged. */
  readonly mode: 'live' | 'test';
  readonly actor: string;
  readonly correlationId: string;
  readonly requestId: string;
};

export type PlaceCallRequest = {
  readonly phoneNumber: string;
  readonly audioId: string | null;
  readonly callerId: string | null;
  readonly record: boolean;
  readonly maxDurationSeconds: number | null;
  readonly ringTimeoutSeconds: number | null;
  /** Replaces the account's calling hours for this call; null: none. Absent: the account's. */
  readonly callingHours?: CallingHoursPolicy | null;
  /** 'next_window': outside the calling hours, keep the call and place it when they open. */
  readonly schedule?: 'next_window';
  /** The key that opts the callee out and ends the call; null for none. */
  readonly optOutDigit: string | null;
  /** Where this call's status changes are POSTed, with the sealed secret that signs them. */
  readonly statusCallback?: { url: string; sealedSecret: string } | null;
};

/** One campaign attempt's call, its id derived from the attempt (domain/campaign/call-ids.ts). */
export type CampaignAttemptCall = {
  readonly callId: string;
  readonly campaignId: string;
  /** E.164, as the campaign enrolled it. */
  readonly to: string;
  readonly callerId: string | null;
  readonly audioId: string;
  /** Null: as for a single call, the audio's length with a margin, under the account's ceiling. */
  readonly maxDurationSeconds: number | null;
  /** The campaign's opt-out key; null for none. */
  readonly optOutDigit: string | null;
  /** Where the attempt's claim was written: see PlannedCall.claimedAt. */
  readonly claimedAt?: GlobalPosition;
};

/** What the call commands need to know about the caller's account. */
export interface AccountSettings {
  settingsOf(tenantId: string): Promise<{
    defaultCountry: string;
    maxCallDurationSeconds: number | null;
    /** Where the callee's zone is unknown, calling hours are read in the account's. */
    timeZone?: string;
    callingHours?: CallingHoursPolicy | null;
  } | null>;
}

/** What single calls need for calling hours: the zones of a number's region, and the queue of scheduled calls. */
export type CallScheduling = {
  readonly numberZones: (e164: string) => Promise<readonly string[]>;
  readonly handler: ScheduledCallHandler;
};

export type CallDefaults = {
  readonly ringTimeoutSeconds: number;
  readonly maxDurationSeconds: number;
  /**
   * For a broadcast that names no maximum: how long its audio needs (length plus a margin), so the
   * watchdog and the prepaid hold fit the message rather than the engine-wide ceiling.
   */
  readonly maxDurationForAudio?: (tenantId: string, audioId: string) => Promise<number | null>;
};

export type CallHandler = CommandHandler<ReturnType<typeof callDecider.initialState>, CallCommand, CallEvent>;

export function createCallHandler(store: EventStore): CallHandler {
  return new CommandHandler(store, callDecider, callCodec);
}

/** The use cases people start: placing and hanging up calls. PBX facts go through the dialer reactor. */
export class CallService {
  private readonly requested = new Set<(events: readonly RecordedEvent[]) => void>();

  constructor(
    private readonly handler: CallHandler,
    private readonly clock: Clock,
    private readonly accounts: AccountSettings,
    private readonly defaults: CallDefaults,
    private readonly steps: readonly PlacementStep[] = [],
    private readonly newCallId: () => string = () => crypto.randomUUID(),
    private readonly scheduling?: CallScheduling,
  ) {}

  async place(caller: Caller, request: PlaceCallRequest): Promise<CallRow> {
    const settings = await this.accounts.settingsOf(caller.tenantId);
    if (!settings) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'The account behind this key no longer exists.');
    const now = this.clock.now();
    const command: PlaceCall = {
      type: 'PlaceCall',
      data: {
        callId: this.newCallId(),
        tenantId: caller.tenantId,
        to: toE164(request.phoneNumber, settings.defaultCountry),
        from: request.callerId === null ? null : toE164(request.callerId, settings.defaultCountry),
        audioId: request.audioId,
        record: request.record,
        ringTimeoutSeconds: request.ringTimeoutSeconds ?? this.defaults.ringTimeoutSeconds,
        maxDurationSeconds: request.maxDurationSeconds ?? (await this.defaultMaxDuration(caller.tenantId, request.audioId, settings.maxCallDurationSeconds)),
        campaignId: null,
        mode: caller.mode,
        optOutDigit: request.optOutDigit,
        statusCallback: request.statusCallback ?? null,
        at: now.toISOString(),
      },
    };
    const judged = await this.callingHoursVerdict(settings, command.data.to, request, now);
    const verdict = judged?.verdict ?? null;
    if (verdict && !verdict.permitted) {
      if (request.schedule !== 'next_window' || verdict.nextPermittedAt === null) throw new OutsideCallingHoursError(verdict);
      return this.scheduleForLater(caller, command, verdict.nextPermittedAt, verdict.zones, now);
    }
    // What `calltrail audit compliance` reads back: the hours this call was let through under.
    command.data.callingWindow = judged ? { hours: { start: judged.hours.start, end: judged.hours.end }, days: [...judged.hours.days], zones: [...judged.verdict.zones] } : null;
    const planned: PlannedCall = {
      callId: command.data.callId,
      tenantId: caller.tenantId,
      to: command.data.to,
      audioId: command.data.audioId,
      maxDurationSeconds: command.data.maxDurationSeconds,
      mode: caller.mode,
      actor: caller.actor,
      correlationId: caller.correlationId,
      now,
    };
    let result: CommandResult<unknown, CallEvent> | undefined;
    await runPlacementSteps(this.steps, planned, async () => {
      // The call id was minted above: no stream to read first (one round trip fewer per placement).
      result = await this.handler.handle(callStream(planned.callId), command, this.context(caller, now), { expectNew: true });
    });
    return rowFromResult(result!);
  }

  /**
   * A campaign attempt's call: the same checks and holds as `place`, under the attempt's own call
   * id. 'exists' when that call was already written (a restart, or another process placing the same
   * attempt); nothing is held again for it.
   */
  async placeAttempt(caller: Caller, attempt: CampaignAttemptCall): Promise<'placed' | 'exists'> {
    // Independent reads, so one round of the database rather than three (each campaign call waits on them).
    const [{ history }, settings, audioSeconds] = await Promise.all([
      this.handler.load(callStream(attempt.callId)),
      this.accounts.settingsOf(caller.tenantId),
      attempt.maxDurationSeconds === null ? this.audioMaxDuration(caller.tenantId, attempt.audioId) : null,
    ]);
    if (history.length > 0) return 'exists';
    if (!settings) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'The campaign\'s account no longer exists.');
    const now = this.clock.now();
    const command: PlaceCall = {
      type: 'PlaceCall',
      data: {
        callId: attempt.callId,
        tenantId: caller.tenantId,
        to: attempt.to,
        from: attempt.callerId,
        audioId: attempt.audioId,
        record: false,
        ringTimeoutSeconds: this.defaults.ringTimeoutSeconds,
        maxDurationSeconds: attempt.maxDurationSeconds ?? this.capDuration(audioSeconds, settings.maxCallDurationSeconds),
        campaignId: attempt.campaignId,
        mode: caller.mode,
        optOutDigit: attempt.optOutDigit,
        at: now.toISOString(),
      },
    };
    const planned: PlannedCall = {
      callId: attempt.callId,
      tenantId: caller.tenantId,
      to: attempt.to,
      audioId: attempt.audioId,
      maxDurationSeconds: command.data.maxDurationSeconds,
      mode: caller.mode,
      actor: caller.actor,
      correlationId: caller.correlationId,
      now,
      ...(attempt.claimedAt ? { claimedAt: attempt.claimedAt } : {}),
    };
    let written: RecordedEvent[] = [];
    await runPlacementSteps(this.steps, planned, async () => {
      written = recordedFrom(callStream(attempt.callId), await this.handler.handle(callStream(attempt.callId), command, this.context(caller, now)));
    });
    if (written.length === 0) return 'exists';
    // A hint only: whatever a listener does, the call is placed and the log will deliver it.
    for (const listener of this.requested) {
      try {
        listener(written);
      } catch {
        // The listener's own reactor logs its failures; its subscription handles the call instead.
      }
    }
    return 'placed';
  }

  /**
   * Hands each campaign attempt's freshly written call (its whole stream: CallRequested) to
   * `listener` in this process, before the log delivers it: the local dialer starts at once instead
   * of a subscription hop later. The log still delivers it; consumers must treat this as a hint.
   */
  onAttemptPlaced(listener: (events: readonly RecordedEvent[]) => void): () => void {
    this.requested.add(listener);
    return () => this.requested.delete(listener);
  }

  /**
   * A scheduled call whose time has come, placed under its own call id with every check of `place`
   * (the calling hours excepted: they were judged when it was scheduled). 'exists' when the call was
   * already written (a restart between the release and the placement).
   */
  async placeScheduled(caller: Caller, request: ScheduledRequest): Promise<'placed' | 'exists'> {
    const { history } = await this.handler.load(callStream(request.callId));
    if (history.length > 0) return 'exists';
    const now = this.clock.now();
    const command: PlaceCall = {
      type: 'PlaceCall',
      data: {
        callId: request.callId,
        tenantId: request.tenantId,
        to: request.to,
        from: request.from,
        audioId: request.audioId,
        record: request.record,
        ringTimeoutSeconds: request.ringTimeoutSeconds,
        maxDurationSeconds: request.maxDurationSeconds,
        campaignId: null,
        mode: request.mode,
        optOutDigit: request.optOutDigit,
        statusCallback: request.statusCallback ?? null,
        at: now.toISOString(),
      },
    };
    const planned: PlannedCall = {
      callId: request.callId,
      tenantId: request.tenantId,
      to: request.to,
      audioId: request.audioId,
      maxDurationSeconds: request.maxDurationSeconds,
      mode: request.mode,
      actor: caller.actor,
      correlationId: caller.correlationId,
      now,
    };
    let appended = 0;
    await runPlacementSteps(this.steps, planned, async () => {
      appended = (await this.handler.handle(callStream(request.callId), command, this.context(caller, now))).appended.length;
    });
    return appended > 0 ? 'placed' : 'exists';
  }

  async hangup(caller: Caller, callId: string): Promise<void> {
    const stream = callStream(callId);
    const now = this.clock.now();
    const { history } = await this.handler.load(stream);
    // A call still waiting for its calling hours is cancelled on its own stream: it is never placed.
    if (history.length === 0 && this.scheduling) return this.cancelScheduled(caller, callId, now);
    if (!belongsTo(history, caller.tenantId)) throw callNotFound(callId);
    await this.handler.handle(
      stream,
      { type: 'HangupCall', data: { callId, reason: 'requested by API', at: now.toISOString() } },
      this.context(caller, now),
    );
  }

  private async callingHoursVerdict(
    settings: NonNullable<Awaited<ReturnType<AccountSettings['settingsOf']>>>,
    to: string,
    request: PlaceCallRequest,
    now: Date,
  ) {
    const hours = effectiveCallingHours(settings.callingHours ?? null, request.callingHours);
    if (hours === null) return null;
    // Unknown region data is no reason to refuse a call: the account's zone is used instead.
    const numberZones = this.scheduling ? await this.scheduling.numberZones(to).catch(() => null) : null;
    const verdict = judgeCallingHours({ hours, numberZones, accountTimeZone: settings.timeZone ?? 'UTC', now });
    return verdict ? { hours, verdict } : null;
  }

  private async scheduleForLater(caller: Caller, command: PlaceCall, notBefore: Date, zones: readonly string[], now: Date): Promise<CallRow> {
    if (!this.scheduling) throw new Error('Scheduling calls needs CallScheduling wired into CallService');
    const { at: _at, campaignId: _campaignId, ...call } = command.data;
    await scheduleCall(this.scheduling.handler, { ...call, notBefore: notBefore.toISOString(), zones: [...zones] }, this.context(caller, now));
    return {
      callId: call.callId,
      tenantId: call.tenantId,
      status: 'SCHEDULED',
      to: call.to,
      from: call.from,
      audioId: call.audioId,
      record: call.record,
      campaignId: null,
      requestedAt: now.toISOString(),
      dialingAt: null,
      ringingAt: null,
      answeredAt: null,
      endedAt: null,
      billableMs: null,
      cause: null,
      causeText: null,
      reason: null,
      retryable: null,
      lastRevision: 0,
      updatedAt: now.toISOString(),
      mode: call.mode,
      scheduledFor: notBefore.toISOString(),
    };
  }

  private async cancelScheduled(caller: Caller, callId: string, now: Date): Promise<void> {
    const handler = this.scheduling!.handler;
    const { by } = await loadScheduledCall(handler, callId);
    if (by?.tenantId !== caller.tenantId) throw callNotFound(callId);
    await handler.handle(
      scheduledCallStream(callId),
      { type: 'CancelScheduledCall', data: { callId, reason: 'cancelled by API', at: now.toISOString() } },
      this.context(caller, now),
    );
  }

  /** The account's ceiling (else the engine's); a broadcast's audio may bring it down, never up. */
  private async defaultMaxDuration(tenantId: string, audioId: string | null, accountCeiling: number | null): Promise<number> {
    return this.capDuration(await this.audioMaxDuration(tenantId, audioId), accountCeiling);
  }

  private async audioMaxDuration(tenantId: string, audioId: string | null): Promise<number | null> {
    return audioId === null ? null : ((await this.defaults.maxDurationForAudio?.(tenantId, audioId)) ?? null);
  }

  private capDuration(forAudio: number | null, accountCeiling: number | null): number {
    const ceiling = accountCeiling ?? this.defaults.maxDurationSeconds;
    return Math.min(forAudio ?? ceiling, ceiling);
  }

  private context(caller: Caller, now: Date): CommandContext {
    return {
      now,
      tenantId: caller.tenantId,
      actor: caller.actor,
      correlationId: caller.correlationId,
      causationId: caller.requestId,
    };
  }
}

function belongsTo(history: readonly RecordedEvent[], tenantId: string): boolean {
  return history.length > 0 && history[0]!.metadata.tenantId === tenantId;
}

export const callNotFound = (callId: string): NotFoundError =>
  new NotFoundError('CALL_NOT_FOUND', 'No call with this id exists in your account.', { call_id: callId });

/** The freshly placed call as the API shows it, folded from exactly the events just written. */
function rowFromResult(result: CommandResult<unknown, CallEvent>): CallRow {
  const [first] = result.appended;
  if (!first) throw new Error('PlaceCall appended no events');
  let row: CallRow | null = null;
  for (const event of recordedFrom(callStream((first.data as { callId: string }).callId), result)) row = foldCallRow(row, event);
  return row!;
}
