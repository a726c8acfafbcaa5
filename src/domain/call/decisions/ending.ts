import type { BlockCall, CompleteCall, FailCall, HangupCall, RecordLoss } from '../commands.ts';
import { emit } from '../emit.ts';
import type { CallEvent, FailureOutcome } from '../events.ts';
import { isRetryableOutcome } from '../outcomes.ts';
import type { AnsweredCall, CallState } from '../state.ts';
import { callNotFound, refuse } from './refusals.ts';

/** Billable time runs from the carrier's answer to the end, never negative. */
function billableMs(answeredAt: string, endedAt: string): number {
  return Math.max(0, Date.parse(endedAt) - Date.parse(answeredAt));
}

function completed(state: AnsweredCall, cause: number, causeText: string, at: string): CallEvent {
  return emit('CallCompleted', {
    callId: state.request.callId,
    cause,
    causeText,
    answeredAt: state.answeredAt,
    endedAt: at,
    billableMs: billableMs(state.answeredAt, at),
  });
}

function failed(callId: string, outcome: FailureOutcome, cause: number | null, causeText: string, reason: string | null, at: string): CallEvent {
  return emit('CallFailed', { callId, outcome, cause, causeText, retryable: isRetryableOutcome(outcome), endedAt: at, reason });
}

/** The carrier says an answered call's channel is gone. */
export function completeCall(command: CompleteCall, state: CallState): CallEvent[] {
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Answered':
      return [completed(state, command.data.cause, command.data.causeText, command.data.at)];
    case 'Ended':
      return [];
    default:
      return refuse(command, state, 'it was never answered, so it can only fail');
  }
}

/**
 * The call ended without an answer. If the call *was* answered, the answer is a fact that cannot
 * be taken back: the time was billable and the callee was reached, so it ends as CallCompleted
 * carrying the reported cause (0, "not defined", when there is none). decide never emits
 * CallFailed for an answered call.
 */
export function failCall(command: FailCall, state: CallState): CallEvent[] {
  const { callId, outcome, cause, causeText, reason, at } = command.data;
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Requested':
    case 'Dialing':
    case 'Ringing':
      return [failed(callId, outcome, cause, causeText, reason, at)];
    case 'Answered':
      return [completed(state, cause ?? 0, causeText || (reason ?? outcome), at)];
    case 'Ended':
      return [];
  }
}

/**
 * Where a lost call's billable time stops. The last fact seen is clamped into [answer, detection]:
 * a heartbeat cannot predate the answer's effect, and nothing after the detection was ever seen.
 */
export function lostCallBillableUntil(answeredAt: string, lastSeenAt: string | null, detectedAt: string): string {
  const answer = Date.parse(answeredAt);
  const seen = lastSeenAt === null ? answer : Date.parse(lastSeenAt);
  const until = Math.min(Math.max(seen, answer), Math.max(answer, Date.parse(detectedAt)));
  return until === answer ? answeredAt : new Date(until).toISOString();
}

/**
 * The engine found the channel gone with no end reported by the PBX. An answered call ends LOST,
 * with no cause (none was given), billed per the operator's rule carried by the command. A call
 * that never answered simply failed as LOST: nothing was billable.
 */
export function recordLoss(command: RecordLoss, state: CallState): CallEvent[] {
  const { callId, lastSeenAt, reason, billingRule, at } = command.data;
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Requested':
    case 'Dialing':
    case 'Ringing':
      return [failed(callId, 'LOST', null, reason, reason, at)];
    case 'Answered': {
      const billableUntil = billingRule === 'not_billed' ? null : lostCallBillableUntil(state.answeredAt, lastSeenAt, at);
      return [
        emit('CallLost', {
          callId,
          answeredAt: state.answeredAt,
          lastSeenAt,
          detectedAt: at,
          reason,
          billingRule,
          billableUntil,
          billableMs: billableUntil === null ? 0 : billableMs(state.answeredAt, billableUntil),
        }),
      ];
    }
    case 'Ended':
      return [];
  }
}

/**
 * Someone asks to end the call. Before dialling nothing exists at the carrier, so the call simply
 * ends as CANCELLED. Once a channel may exist we only record the request: the dialer reactor asks
 * the PBX to hang up, and the PBX's report of the channel ending is what ends the call.
 */
export function hangupCall(command: HangupCall, state: CallState): CallEvent[] {
  const { callId, reason, at } = command.data;
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Requested':
      return [failed(callId, 'CANCELLED', null, 'Cancelled before dialling', reason, at)];
    case 'Dialing':
    case 'Ringing':
    case 'Answered':
      if (state.hangupRequestedAt !== null) return [];
      return [emit('HangupRequested', { callId, reason, at })];
    case 'Ended':
      return [];
  }
}

/**
 * Only a claimed call that has not reached the PBX can be blocked: the dialer checks between its
 * CallDialing and the originate. Blocked again → []; any other progress means it was dialled.
 */
export function blockCall(command: BlockCall, state: CallState): CallEvent[] {
  const { callId, scope, at } = command.data;
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Dialing':
      return [emit('CallBlocked', { callId, reason: 'dnc', scope, blockedAt: at })];
    case 'Ended':
      if (state.ending.kind === 'blocked') return [];
      return refuse(command, state, 'it has already ended');
    default:
      return refuse(command, state, 'only a call claimed for dialling and not yet dialled can be blocked');
  }
}
