import { z } from 'zod';
import { WEEKDAYS } from '../shared/local-time.ts';

/**
 * The call's events. Each type has exactly one zod schema: the contract for storage,
 * projections and webhooks. Timestamps are ISO-8601 strings; durations are integer milliseconds.
 * `CURRENT_SCHEMA_VERSION` is what new events are written with; upcasters.ts lifts older ones.
 */

const instant = z.iso.datetime({ offset: true });

export const TERMINAL_FAILURE_OUTCOMES = [
  'BUSY',
  'NO_ANSWER',
  'REJECTED',
  'CONGESTION',
  'INVALID_NUMBER',
  'FAILED',
  'CANCELLED',
  'LOST',
] as const;
export type FailureOutcome = (typeof TERMINAL_FAILURE_OUTCOMES)[number];

/** A key the callee may press to opt out of calls: one of 0-9, * or # (A-D are not on a phone's keypad). */
export const OptOutDigit = z.string().regex(/^[0-9*#]$/, 'Must be one key: 0-9, * or #');

/**
 * Where a call's own status changes are POSTed (ZeroVoice's `status_callback_url`), with the secret
 * that signs them, sealed (src/adapters/webhooks/secret-box.ts): never in the clear in the log.
 */
export const StatusCallback = z.object({ url: z.string().min(1).max(2048), sealedSecret: z.string().min(1) });

/**
 * The calling hours a call was judged against when it was placed, and the callee's zones they were
 * read in: the account's hours or the call's own (a campaign's live on the campaign's stream).
 */
export const AppliedCallingWindow = z.object({
  hours: z.object({ start: z.string(), end: z.string() }).nullable(),
  days: z.array(z.enum(WEEKDAYS)).min(1),
  zones: z.array(z.string().min(1)).min(1),
});
export type AppliedCallingWindow = z.infer<typeof AppliedCallingWindow>;

export const CallRequested = z.object({
  callId: z.uuid(),
  tenantId: z.string().min(1),
  /** Canonical E.164. */
  to: z.string().regex(/^\+[1-9]\d{6,14}$/),
  /** Caller ID to present, E.164, if the account set one. */
  from: z.string().nullable(),
  audioId: z.string().nullable(),
  record: z.boolean(),
  ringTimeoutSeconds: z.number().int().positive(),
  maxDurationSeconds: z.number().int().positive(),
  campaignId: z.string().nullable(),
  /** Test-mode calls (placed with a ct_test_ key) never reach a real trunk and never touch real balance. Added in v2. */
  mode: z.enum(['live', 'test']),
  /** The key that opts the callee out (do-not-call) and ends the call; null for none. Added in v3. */
  optOutDigit: OptOutDigit.nullable(),
  /** The call's status callback; null for none. Added in v4. */
  statusCallback: StatusCallback.nullable().default(null),
  /**
   * The calling window that applied (null: no hours applied). Absent on calls placed before it was
   * recorded and on campaign calls; a reader must not take absence for "none applied".
   */
  callingWindow: AppliedCallingWindow.nullable().optional(),
  requestedAt: instant,
});

export const CallDialing = z.object({
  callId: z.uuid(),
  /** The telephony channel id; derived from the call id so a retried originate cannot fork. */
  channelId: z.string(),
  at: instant,
});

export const CallRinging = z.object({ callId: z.uuid(), at: instant });

export const CallAnswered = z.object({
  callId: z.uuid(),
  /** The carrier's answer time: billable time runs from here, never from the originate. */
  answeredAt: instant,
});

export const PlaybackStarted = z.object({
  callId: z.uuid(),
  playbackId: z.string(),
  media: z.string(),
  at: instant,
});

export const PlaybackFinished = z.object({
  callId: z.uuid(),
  playbackId: z.string(),
  at: instant,
});

export const DtmfReceived = z.object({
  callId: z.uuid(),
  digit: z.string().regex(/^[0-9*#A-D]$/),
  at: instant,
});

/**
 * The callee pressed the call's opt-out digit. Recorded once per call, beside the DtmfReceived it
 * came from; the opt-out reactor puts the number on the tenant's do-not-call list from it.
 */
export const OptOutRequested = z.object({
  callId: z.uuid(),
  digit: OptOutDigit,
  at: instant,
});

/** Asterisk stored a recording of the call (requested with `record: true`). */
export const RecordingStored = z.object({
  callId: z.uuid(),
  /** The stored recording's name on the PBX; the file is fetched from there on demand. */
  name: z.string().min(1),
  format: z.string().min(1),
  durationSeconds: z.number().int().nonnegative(),
  at: instant,
});

export const HangupRequested = z.object({
  callId: z.uuid(),
  reason: z.string(),
  at: instant,
});

/** The call was answered and has ended. Carries the evidence a billing dispute needs. */
export const CallCompleted = z.object({
  callId: z.uuid(),
  /** Q.850 cause code and its text, as the carrier reported them. */
  cause: z.number().int().nonnegative(),
  causeText: z.string(),
  answeredAt: instant,
  endedAt: instant,
  /** endedAt - answeredAt, in milliseconds, never negative. */
  billableMs: z.number().int().nonnegative(),
});

/** The call ended without being answered (or never reached the carrier). */
export const CallFailed = z.object({
  callId: z.uuid(),
  outcome: z.enum(TERMINAL_FAILURE_OUTCOMES),
  /** Q.850 cause, or null when the failure happened before the carrier (e.g. cancelled). */
  cause: z.number().int().nonnegative().nullable(),
  causeText: z.string(),
  /** Whether dialling again later could succeed (busy, congestion...) or not (invalid number). */
  retryable: z.boolean(),
  endedAt: instant,
  /** Human-readable reason, e.g. "lost while disconnected". */
  reason: z.string().nullable(),
});

/**
 * The dialer found the number on a do-not-call list after it had claimed the call (CallDialing) and
 * before any originate: the call ends here, never dialled. The list was read as it stood at the
 * CallDialing position (every change before it included), so the log itself proves the refusal.
 */
export const CallBlocked = z.object({
  callId: z.uuid(),
  reason: z.literal('dnc'),
  /** Which list barred the number: the tenant's own or the operator-wide one. */
  scope: z.enum(['tenant', 'operator']),
  blockedAt: instant,
});

/** A blocked call's end as charges and audits name it: no Q.850 cause, it never reached a carrier. */
export const BLOCKED_CAUSE_TEXT = 'do-not-call listed';

/**
 * How an answered call whose end the PBX never reported is billed. Chosen by the operator
 * (LOST_CALL_BILLING) and written into the event, so a replay or an audit applies the rule that
 * was in force, not today's setting.
 * - `until_last_seen`: from the answer to the last fact the PBX gave about the channel.
 * - `not_billed`: the call costs nothing.
 */
export const LOST_CALL_BILLING_RULES = ['until_last_seen', 'not_billed'] as const;
export type LostCallBillingRule = (typeof LOST_CALL_BILLING_RULES)[number];

/**
 * An answered call whose end no PBX reported (the PBX crashed, or its end was lost in a
 * disconnect). No carrier said why it ended, so there is no Q.850 cause; the billable time runs
 * to the last moment the call was known to be up, never to the moment we noticed.
 */
export const CallLost = z.object({
  callId: z.uuid(),
  answeredAt: instant,
  /** The last ARI event or node heartbeat that showed the channel alive; null when none came after the answer. */
  lastSeenAt: instant.nullable(),
  /** When the engine established that the channel no longer exists. */
  detectedAt: instant,
  reason: z.string(),
  billingRule: z.enum(LOST_CALL_BILLING_RULES),
  /** Where billable time stops: max(answeredAt, lastSeenAt) under until_last_seen; null when not billed. */
  billableUntil: instant.nullable(),
  billableMs: z.number().int().nonnegative(),
});

export const callEventSchemas = {
  CallRequested,
  CallDialing,
  CallRinging,
  CallAnswered,
  PlaybackStarted,
  PlaybackFinished,
  DtmfReceived,
  OptOutRequested,
  RecordingStored,
  HangupRequested,
  CallCompleted,
  CallFailed,
  CallLost,
  CallBlocked,
} as const;

export type CallEventType = keyof typeof callEventSchemas;

export type CallEvent = {
  [K in CallEventType]: { readonly type: K; readonly data: z.infer<(typeof callEventSchemas)[K]> };
}[CallEventType];

export type CallEventOf<K extends CallEventType> = Extract<CallEvent, { type: K }>;

export const CURRENT_SCHEMA_VERSION: Record<CallEventType, number> = {
  CallRequested: 4,
  CallDialing: 1,
  CallRinging: 1,
  CallAnswered: 1,
  PlaybackStarted: 1,
  PlaybackFinished: 1,
  DtmfReceived: 1,
  OptOutRequested: 1,
  RecordingStored: 1,
  HangupRequested: 1,
  CallCompleted: 1,
  CallFailed: 1,
  CallLost: 1,
  CallBlocked: 1,
};

export function isCallEventType(type: string): type is CallEventType {
  return Object.hasOwn(callEventSchemas, type);
}
