import { z } from 'zod';
import { TERMINAL_FAILURE_OUTCOMES } from '../call/events.ts';
import { isTimeZone } from '../shared/local-time.ts';
import { MoneySchema } from '../shared/money.ts';
import { CampaignSettingsSchema } from './settings.ts';

/**
 * The campaign's events, all on the campaign's one stream (see decide.ts for why). One zod schema
 * each: the contract for storage, the campaign read model and webhooks.
 */

const instant = z.iso.datetime({ offset: true });
const id = z.string().min(1);
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);

/** How an attempt ended, in the call's own status words: COMPLETED (answered) or its failure outcome. */
export const ATTEMPT_OUTCOMES = ['COMPLETED', ...TERMINAL_FAILURE_OUTCOMES] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export const PAUSE_REASONS = ['user', 'insufficient_balance'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** `unpriced_destination`: the rate plan prices no call to the number (NO_RATE_FOR_DESTINATION at placement). */
export const SKIP_REASONS = ['invalid_number', 'dnc', 'duplicate', 'unpriced_destination'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Where an enrolled contact's zones came from (see zones.ts). */
export const ZONE_SOURCES = ['contact', 'number', 'campaign'] as const;

export const CampaignCreated = z.object({
  campaignId: id,
  tenantId: id,
  settings: CampaignSettingsSchema,
  createdAt: instant,
});

export const CampaignScheduled = z.object({ campaignId: id, startAt: instant, at: instant });

export const CampaignStarted = z.object({
  campaignId: id,
  /** 'schedule' when it started itself at its start date. */
  trigger: z.enum(['user', 'schedule']),
  at: instant,
});

export const CampaignPaused = z.object({ campaignId: id, reason: z.enum(PAUSE_REASONS), at: instant });
export const CampaignResumed = z.object({ campaignId: id, at: instant });
export const CampaignCancelled = z.object({ campaignId: id, at: instant });
export const CampaignCompleted = z.object({ campaignId: id, at: instant });

export const EnrolledContact = z.object({
  contactId: id,
  phone: e164,
  /** Every zone the callee may be in; calls go out only while all of them are inside the window. */
  zones: z.array(z.string().refine(isTimeZone, 'must be an IANA time zone')).min(1),
  zoneSource: z.enum(ZONE_SOURCES),
});

export const SkippedContact = z.object({
  contactId: id,
  /** As given, which for an invalid number is not E.164. */
  phone: z.string().max(64),
  reason: z.enum(SKIP_REASONS),
});

/**
 * One slice of the contacts, in order. Chunks keep a 100k-contact campaign to a hundred events
 * rather than a hundred thousand; `chunk` numbers them from 0 so a resent chunk is recognised.
 */
export const CampaignContactsEnrolled = z.object({
  campaignId: id,
  chunk: z.number().int().nonnegative(),
  contacts: z.array(EnrolledContact),
  skipped: z.array(SkippedContact),
  at: instant,
});

/** No more contacts will come: from here on, the campaign may complete. */
export const CampaignEnrollmentClosed = z.object({ campaignId: id, chunks: z.number().int().nonnegative(), at: instant });

const attemptRef = {
  campaignId: id,
  contactId: id,
  attempt: z.number().int().positive(),
  /** Derived from (campaign, contact, attempt): see call-ids.ts. */
  callId: z.uuid(),
};

/** The claim: this attempt holds one of the campaign's concurrent slots until it ends or is released. */
export const ContactAttemptStarted = z.object({ ...attemptRef, at: instant });

/**
 * The call could not be placed for a reason that is not the contact's (the balance ran out): the
 * slot is freed and the attempt is not counted, so the same attempt (and call id) goes out later.
 */
export const ContactAttemptReleased = z.object({ ...attemptRef, reason: z.enum(['insufficient_balance']), at: instant });

export const ContactAttemptEnded = z.object({
  ...attemptRef,
  outcome: z.enum(ATTEMPT_OUTCOMES),
  /** Answered time, whole seconds rounded down; 0 for an attempt that was not answered. */
  billableSeconds: z.number().int().nonnegative(),
  endedAt: instant,
});

/** What billing charged for the attempt's call; recorded when the charge is known, after the end. */
export const ContactAttemptCharged = z.object({ ...attemptRef, cost: MoneySchema });

export const ContactRetryScheduled = z.object({
  campaignId: id,
  contactId: id,
  nextAttempt: z.number().int().positive(),
  retryAt: instant,
});

/** The contact has its final outcome: no more attempts. */
export const ContactCompleted = z.object({
  campaignId: id,
  contactId: id,
  outcome: z.enum(ATTEMPT_OUTCOMES),
  attempts: z.number().int().nonnegative(),
});

/** Taken out before it was dialled (a number found invalid or on the do-not-call list at placement). */
export const ContactSkipped = z.object({ campaignId: id, contactId: id, reason: z.enum(SKIP_REASONS), at: instant });

export const campaignEventSchemas = {
  CampaignCreated,
  CampaignScheduled,
  CampaignStarted,
  CampaignPaused,
  CampaignResumed,
  CampaignCancelled,
  CampaignCompleted,
  CampaignContactsEnrolled,
  CampaignEnrollmentClosed,
  ContactAttemptStarted,
  ContactAttemptReleased,
  ContactAttemptEnded,
  ContactAttemptCharged,
  ContactRetryScheduled,
  ContactCompleted,
  ContactSkipped,
} as const;

export type CampaignEventType = keyof typeof campaignEventSchemas;

export type CampaignEvent = {
  [K in CampaignEventType]: { readonly type: K; readonly data: z.infer<(typeof campaignEventSchemas)[K]> };
}[CampaignEventType];

export type CampaignEventOf<K extends CampaignEventType> = Extract<CampaignEvent, { type: K }>;

/** What new events are written with; an upcaster lifts older ones on read. */
export const CURRENT_CAMPAIGN_SCHEMA_VERSION: Record<CampaignEventType, number> = {
  CampaignCreated: 2,
  CampaignScheduled: 1,
  CampaignStarted: 1,
  CampaignPaused: 1,
  CampaignResumed: 1,
  CampaignCancelled: 1,
  CampaignCompleted: 1,
  CampaignContactsEnrolled: 1,
  CampaignEnrollmentClosed: 1,
  ContactAttemptStarted: 1,
  ContactAttemptReleased: 1,
  ContactAttemptEnded: 1,
  ContactAttemptCharged: 1,
  ContactRetryScheduled: 1,
  ContactCompleted: 1,
  ContactSkipped: 1,
};

export function isCampaignEventType(type: string): type is CampaignEventType {
  return Object.hasOwn(campaignEventSchemas, type);
}
