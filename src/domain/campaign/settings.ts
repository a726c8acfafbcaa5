import { z } from 'zod';
import { OptOutDigit, TERMINAL_FAILURE_OUTCOMES, type FailureOutcome } from '../call/events.ts';
import { issuesOf } from '../shared/checked-event.ts';
import { ValidationError } from '../shared/errors.ts';
import { instantAtWall, isTimeZone, parseClockTime, WEEKDAYS, type Weekday } from '../shared/local-time.ts';

/**
 * What a campaign is told at creation and keeps for its whole life. The limits live here, once,
 * so the HTTP schemas, the decider and the event schema agree on them.
 */

export const CAMPAIGN_LIMITS = {
  concurrentLimit: { min: 1, max: 1000 },
  maxAttempts: { min: 1, max: 10 },
  /** A week: longer than that is a new campaign, not a retry. */
  retryDelayMinutes: { min: 0, max: 10_080 },
  maxDurationSeconds: { min: 1, max: 14_400 },
  callsPerSecond: { min: 1, max: 1000 },
  name: { min: 1, max: 200 },
} as const;

/** Outcomes worth another attempt unless the campaign says otherwise. */
export const DEFAULT_RETRY_ON: readonly FailureOutcome[] = ['BUSY', 'NO_ANSWER', 'CONGESTION', 'FAILED'];

const instant = z.iso.datetime({ offset: true });
const clockTime = z.string().refine((text) => parseClockTime(text) !== null, 'must be HH:MM, 00:00 to 23:59');

export const CallingHoursSchema = z
  .object({ start: clockTime, end: clockTime })
  .refine((hours) => hours.start !== hours.end, { message: 'start and end must differ', path: ['end'] });
export type CallingHours = z.infer<typeof CallingHoursSchema>;

export const ContactSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('contact_list'), contactListId: z.string().min(1) }),
  /**
   * A CSV uploaded with the campaign (ZensCall): its rows were imported under `importId` into a list
   * of their own, which is what the campaign enrolls (rows naming an existing contact included).
   */
  z.object({ kind: z.literal('import'), importId: z.string().min(1), contactListId: z.string().min(1) }),
]);
export type ContactSource = z.infer<typeof ContactSourceSchema>;

const bounded = (limits: { min: number; max: number }) => z.number().int().min(limits.min).max(limits.max);

export const CampaignSettingsSchema = z.object({
  name: z.string().min(CAMPAIGN_LIMITS.name.min).max(CAMPAIGN_LIMITS.name.max),
  audioId: z.string().min(1),
  /** E.164 to present, or null for the account's default. */
  callerId: z.string().regex(/^\+[1-9]\d{6,14}$/).nullable(),
  source: ContactSourceSchema,
  /** From the creating key: a test-mode campaign's calls go to the test trunk and are never charged. */
  mode: z.enum(['live', 'test']),
  concurrentLimit: bounded(CAMPAIGN_LIMITS.concurrentLimit),
  maxAttempts: bounded(CAMPAIGN_LIMITS.maxAttempts),
  retryDelayMinutes: bounded(CAMPAIGN_LIMITS.retryDelayMinutes),
  retryOn: z.array(z.enum(TERMINAL_FAILURE_OUTCOMES)),
  /** Null: the account's default maximum duration applies, as for a single call. */
  maxDurationSeconds: bounded(CAMPAIGN_LIMITS.maxDurationSeconds).nullable(),
  /** Null: only the trunk's own pacing applies. */
  callsPerSecond: bounded(CAMPAIGN_LIMITS.callsPerSecond).nullable(),
  /** The key a callee presses to opt out (do-not-call) and end the call; null for none. Added in CampaignCreated v2. */
  optOutDigit: OptOutDigit.nullable(),
  schedule: z.object({
    /** When it may start by itself; null starts when told to. */
    startAt: instant.nullable(),
    /** Null: any time of day (on the days allowed). */
    callingHours: CallingHoursSchema.nullable(),
    /** IANA zone: where a contact's own zone is unknown, and what start dates are read in. */
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/London'),
    days: z.array(z.enum(WEEKDAYS)).min(1),
  }),
});
export type CampaignSettings = z.infer<typeof CampaignSettingsSchema>;

/** ZensCall counts retries after the first call; we count attempts. 3 retries = 4 attempts. */
export function attemptsFromRetries(maxRetries: number): number {
  return maxRetries + 1;
}

/**
 * A start date as clients send it: a full instant ('2026-03-25T09:00:00Z') is taken as it is; a
 * bare date ('2026-03-25') means that day's local midnight in the campaign's zone (the calling hours
 * then decide when the first call goes out). Returns null when the text is neither.
 */
export function startInstantOf(startDate: string, timezone: string): string | null {
  if (instant.safeParse(startDate).success) return new Date(startDate).toISOString();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(startDate);
  if (!match || !isTimeZone(timezone)) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return new Date(instantAtWall(timezone, { year, month, day }, 0)).toISOString();
}

/** Checks settings against the schema, naming the offending field in the error's details. */
export function checkedSettings(settings: CampaignSettings): CampaignSettings {
  const checked = CampaignSettingsSchema.safeParse(settings);
  if (!checked.success) {
    throw new ValidationError('The campaign settings are invalid.', { issues: issuesOf(checked.error) });
  }
  return checked.data;
}

export const ALL_WEEKDAYS: readonly Weekday[] = WEEKDAYS;
