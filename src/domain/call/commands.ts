import type { AppliedCallingWindow, FailureOutcome, LostCallBillingRule } from './events.ts';

/**
 * Commands to a call. `at` is the instant of the fact: the injected clock for requests from
 * people, the carrier's own timestamp for outcomes Asterisk reports.
 */
export type PlaceCall = {
  readonly type: 'PlaceCall';
  readonly data: {
    callId: string;
    tenantId: string;
    /** Already canonical E.164 (the command layer normalises with the account's country). */
    to: string;
    from: string | null;
    audioId: string | null;
    record: boolean;
    ringTimeoutSeconds: number;
    maxDurationSeconds: number;
    campaignId: string | null;
    mode: 'live' | 'test';
    /** The key that opts the callee out; null for none. */
    optOutDigit: string | null;
    /** Where the call's status changes are POSTed, with its sealed signing secret; absent or null: nowhere. */
    statusCallback?: { url: string; sealedSecret: string } | null;
    /** The calling hours the call was judged against (see CallRequested); null when none applied. */
    callingWindow?: AppliedCallingWindow | null;
    at: string;
  };
};

export type MarkDialing = {
  readonly type: 'MarkDialing';
  readonly data: { callId: string; channelId: string; at: string };
};
export type MarkRinging = { readonly type: 'MarkRinging'; readonly data: { callId: string; at: string } };
export type MarkAnswered = { readonly type: 'MarkAnswered'; readonly data: { callId: string; at: string } };

export type RecordPlayback = {
  readonly type: 'RecordPlayback';
  readonly data: {
    callId: string;
    phase: 'started' | 'finished';
    playbackId: string;
    media: string;
    at: string;
  };
};

export type RecordDtmf = {
  readonly type: 'RecordDtmf';
  readonly data: { callId: string; digit: string; at: string };
};

export type RecordRecording = {
  readonly type: 'RecordRecording';
  readonly data: { callId: string; name: string; format: string; durationSeconds: number; at: string };
};

/** The carrier says the channel is gone after an answer. */
export type CompleteCall = {
  readonly type: 'CompleteCall';
  readonly data: { callId: string; cause: number; causeText: string; at: string };
};

/** The call ended without an answer, or could not be placed at all. */
export type FailCall = {
  readonly type: 'FailCall';
  readonly data: {
    callId: string;
    outcome: FailureOutcome;
    cause: number | null;
    causeText: string;
    reason: string | null;
    at: string;
  };
};

/**
 * The engine established that the call's channel is gone without the PBX reporting its end.
 * `lastSeenAt` is the adapter's last fact about the channel; `at` is when the loss was detected.
 */
export type RecordLoss = {
  readonly type: 'RecordLoss';
  readonly data: {
    callId: string;
    lastSeenAt: string | null;
    reason: string;
    billingRule: LostCallBillingRule;
    at: string;
  };
};

/** The dialer's last check before the originate found the number on a do-not-call list. */
export type BlockCall = {
  readonly type: 'BlockCall';
  readonly data: { callId: string; scope: 'tenant' | 'operator'; at: string };
};

/** A person (or the watchdog) asks to end the call. */
export type HangupCall = {
  readonly type: 'HangupCall';
  readonly data: { callId: string; reason: string; at: string };
};

export type CallCommand =
  | PlaceCall
  | MarkDialing
  | MarkRinging
  | MarkAnswered
  | RecordPlayback
  | RecordDtmf
  | RecordRecording
  | CompleteCall
  | FailCall
  | RecordLoss
  | BlockCall
  | HangupCall;
