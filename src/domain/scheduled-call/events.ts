import { z } from 'zod';

/**
 * A single call asked for outside its calling hours with `schedule: "next_window"`: the request is
 * kept here, on its own stream, until it is due, and only then placed as an ordinary call under the
 * same call id (with every check of a call placed now: do-not-call, balance hold...).
 */

const instant = z.iso.datetime({ offset: true });

export const CallScheduled = z.object({
  callId: z.uuid(),
  tenantId: z.string().min(1),
  /** The call as it will be requested: canonical E.164 numbers, the durations already settled. */
  to: z.string().regex(/^\+[1-9]\d{6,14}$/),
  from: z.string().nullable(),
  audioId: z.string().nullable(),
  record: z.boolean(),
  ringTimeoutSeconds: z.number().int().positive(),
  maxDurationSeconds: z.number().int().positive(),
  mode: z.enum(['live', 'test']),
  /** The key that will opt the callee out (see the call's CallRequested). */
  optOutDigit: z.string().nullable().default(null),
  /** The call's status callback (see the call's CallRequested). */
  statusCallback: z.object({ url: z.string().min(1).max(2048), sealedSecret: z.string().min(1) }).nullable().default(null),
  /** When the calling hours open in every one of `zones`: it is not placed before then. */
  notBefore: instant,
  zones: z.array(z.string().min(1)).min(1),
  scheduledAt: instant,
});

/** The scheduler took the call to place it; a cancellation after this no longer stops it. */
export const ScheduledCallReleased = z.object({ callId: z.uuid(), at: instant });

export const ScheduledCallCancelled = z.object({ callId: z.uuid(), reason: z.string(), at: instant });

/** At its time the placement itself refused the call (listed on do-not-call, no balance...). */
export const ScheduledCallRefused = z.object({
  callId: z.uuid(),
  code: z.string().min(1),
  message: z.string(),
  at: instant,
});

export const scheduledCallEventSchemas = {
  CallScheduled,
  ScheduledCallReleased,
  ScheduledCallCancelled,
  ScheduledCallRefused,
} as const;

export type ScheduledCallEventType = keyof typeof scheduledCallEventSchemas;

export type ScheduledCallEvent = {
  [K in ScheduledCallEventType]: { readonly type: K; readonly data: z.infer<(typeof scheduledCallEventSchemas)[K]> };
}[ScheduledCallEventType];

export type ScheduledCallEventOf<K extends ScheduledCallEventType> = Extract<ScheduledCallEvent, { type: K }>;

export const SCHEDULED_CALL_SCHEMA_VERSION: Record<ScheduledCallEventType, number> = {
  CallScheduled: 1,
  ScheduledCallReleased: 1,
  ScheduledCallCancelled: 1,
  ScheduledCallRefused: 1,
};

export function isScheduledCallEventType(type: string): type is ScheduledCallEventType {
  return Object.hasOwn(scheduledCallEventSchemas, type);
}
