import type { CallEventOf, FailureOutcome, LostCallBillingRule } from './events.ts';

/**
 * A call's state, one variant per status. Each variant holds only what is known at that point:
 * there is no `answeredAt` to forget about on a call that never answered.
 */

/** What the request fixed once and for all (the CallRequested data); every later state keeps it. */
export type CallRequest = CallEventOf<'CallRequested'>['data'];

export type InitialCall = { readonly status: 'Initial' };

export type RequestedCall = {
  readonly status: 'Requested';
  readonly request: CallRequest;
};

export type DialingCall = {
  readonly status: 'Dialing';
  readonly request: CallRequest;
  readonly channelId: string;
  readonly dialingAt: string;
  /** Set once HangupRequested is recorded, so a second hangup request adds nothing. */
  readonly hangupRequestedAt: string | null;
};

export type RingingCall = {
  readonly status: 'Ringing';
  readonly request: CallRequest;
  readonly channelId: string;
  readonly ringingAt: string;
  readonly hangupRequestedAt: string | null;
};

export type AnsweredCall = {
  readonly status: 'Answered';
  readonly request: CallRequest;
  /** Null when the carrier reported the answer before we recorded dialing. */
  readonly channelId: string | null;
  readonly answeredAt: string;
  readonly hangupRequestedAt: string | null;
  /** Playback ids already recorded, so a redelivered PBX event is not recorded twice. */
  readonly playbacksStarted: readonly string[];
  readonly playbacksFinished: readonly string[];
  /** `<epoch ms>|<digit>` of each key press recorded, for the same reason. */
  readonly dtmfSeen: readonly string[];
  /** Set once OptOutRequested is recorded: pressing the opt-out key again opts out nothing more. */
  readonly optedOutAt: string | null;
  /** Names of recordings already recorded. */
  readonly recordings: readonly string[];
};

/** How an ended call ended. Only an answered call (completed or lost) has an answer time and billable time. */
export type CallEnding =
  | {
      readonly kind: 'completed';
      readonly answeredAt: string;
      readonly endedAt: string;
      readonly billableMs: number;
      readonly cause: number;
      readonly causeText: string;
    }
  | {
      /** Answered, then its end was never reported: see CallLost. */
      readonly kind: 'lost';
      readonly answeredAt: string;
      readonly lastSeenAt: string | null;
      readonly endedAt: string;
      readonly billableMs: number;
      readonly billingRule: LostCallBillingRule;
      readonly reason: string;
    }
  | {
      readonly kind: 'failed';
      readonly outcome: FailureOutcome;
      readonly retryable: boolean;
      readonly cause: number | null;
      readonly causeText: string;
      readonly reason: string | null;
      readonly endedAt: string;
    }
  | {
      /** Never dialled: the number was on a do-not-call list when the dialer checked (CallBlocked). */
      readonly kind: 'blocked';
      readonly scope: 'tenant' | 'operator';
      readonly endedAt: string;
    };

export type EndedCall = {
  readonly status: 'Ended';
  readonly request: CallRequest;
  readonly channelId: string | null;
  readonly ending: CallEnding;
  /** A recording may be stored just after the hangup, so the ended call still knows which it has. */
  readonly recordings: readonly string[];
};

export type CallState = InitialCall | RequestedCall | DialingCall | RingingCall | AnsweredCall | EndedCall;

/** A call that exists and has not ended. */
export type LiveCall = RequestedCall | DialingCall | RingingCall | AnsweredCall;

export function initialState(): CallState {
  return { status: 'Initial' };
}

export function isLive(state: CallState): state is LiveCall {
  return state.status !== 'Initial' && state.status !== 'Ended';
}

/** The same instant written two ways ('Z' vs '+00:00') is the same fact. */
export function sameInstant(a: string, b: string): boolean {
  return Date.parse(a) === Date.parse(b);
}

export function dtmfKey(digit: string, at: string): string {
  return `${Date.parse(at)}|${digit}`;
}

/** Whether the call reached the callee: its recordings and late media stragglers are real. */
export function endedAnswered(ending: CallEnding): boolean {
  return ending.kind === 'completed' || ending.kind === 'lost';
}
