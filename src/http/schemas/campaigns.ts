import { z } from 'zod';
import { OptOutDigit, TERMINAL_FAILURE_OUTCOMES, type FailureOutcome } from '../../domain/call/events.ts';
import type { CreateCampaign } from '../../domain/campaign/commands.ts';
import {
  CAMPAIGN_LIMITS,
  DEFAULT_RETRY_ON,
  attemptsFromRetries,
  checkedSettings,
  startInstantOf,
  type CallingHours,
} from '../../domain/campaign/settings.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { canonicalTimeZone, isTimeZone, parseClockTime, WEEKDAYS, type Weekday } from '../../domain/shared/local-time.ts';
import { toE164 } from '../../domain/shared/phone.ts';

/**
 * What the campaigns API accepts: both seed products' request shapes, normalised into one
 * `CampaignRequest`, which `toCreateCampaign` turns into the domain's command once the route knows
 * the account's defaults and (for a CSV upload) the import id.
 * - ZensCall, multipart: `name, audio_id, csv_file, max_retries, concurrent_limit, start` (every field
 *   a string; the file is the route's business).
 * - OutboundCalls.ai, JSON: `name, audio_id, contact_list_id, schedule {start_date, calling_hours
 *   {start, end}, timezone}, retry_rules {max_attempts, delay_minutes}, concurrent_calls`.
 * - Both: `caller_id, retry_on, max_duration_seconds, calls_per_second, days, opt_out_digit` (JSON also takes
 *   ZensCall's names: `max_retries`, `concurrent_limit`).
 * Every refusal is a zod issue whose path names the field as the client sent it.
 */

export const DEFAULT_CONCURRENT_LIMIT = 10;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_RETRY_DELAY_MINUTES = 30;

export type CampaignRequest = {
  readonly name: string;
  readonly audioId: string;
  /** As typed; normalised to E.164 with the account's country in toCreateCampaign. */
  readonly callerId: string | null;
  readonly source: { readonly kind: 'contact_list'; readonly contactListId: string } | { readonly kind: 'csv_upload' };
  readonly concurrentLimit: number;
  readonly maxAttempts: number;
  readonly retryDelayMinutes: number;
  readonly retryOn: readonly FailureOutcome[];
  readonly maxDurationSeconds: number | null;
  readonly callsPerSecond: number | null;
  readonly startDate: string | null;
  readonly callingHours: CallingHours | null;
  /** Null: the account's zone. */
  readonly timezone: string | null;
  readonly days: readonly Weekday[];
  readonly autoStart: boolean;
  /** The key that opts a callee out (do-not-call); null for none. */
  readonly optOutDigit: string | null;
};

const between = (limits: { min: number; max: number }) =>
  z.number().int(`Must be a whole number from ${limits.min} to ${limits.max}`).min(limits.min, `Must be from ${limits.min} to ${limits.max}`).max(limits.max, `Must be from ${limits.min} to ${limits.max}`);
const maxRetries = between({ min: CAMPAIGN_LIMITS.maxAttempts.min - 1, max: CAMPAIGN_LIMITS.maxAttempts.max - 1 });

export const clockTime = z.string().trim().refine((text) => parseClockTime(text) !== null, 'Must be HH:MM on a 24-hour clock, 00:00 to 23:59');
const callingHours = z
  .strictObject({ start: clockTime, end: clockTime })
  .refine((hours) => hours.start !== hours.end, { path: ['end'], message: 'The end must differ from the start' });
const timezone = z
  .string()
  .trim()
  .refine(isTimeZone, 'Must be an IANA time zone such as Europe/London or Asia/Karachi')
  .transform((zone) => canonicalTimeZone(zone) ?? zone);
const startDate = z.string().trim().refine((text) => startInstantOf(text, 'UTC') !== null, 'Must be a date (2026-03-25) or an ISO-8601 date-time');
const text = (max: number) => z.string().trim().min(1, 'Must not be empty').max(max);

const DAY_NAMES: Readonly<Record<string, Weekday>> = Object.fromEntries(
  WEEKDAYS.flatMap((day) => [
    [day, day],
    [{ sun: 'sunday', mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday' }[day], day],
  ]),
);
const day = z
  .string()
  .transform((name) => DAY_NAMES[name.trim().toLowerCase()])
  .pipe(z.enum(WEEKDAYS, { message: 'Must be a day of the week: mon, tue, ... or monday, tuesday, ...' }));
export const days = z.array(day).min(1, 'Give at least one day').transform((list) => WEEKDAYS.filter((d) => list.includes(d)));

/** 'busy', 'no-answer', 'NO_ANSWER' all name the call outcome NO_ANSWER. */
const outcome = z
  .string()
  .transform((name) => name.trim().toUpperCase().replace(/[\s-]/g, '_'))
  .pipe(z.enum(TERMINAL_FAILURE_OUTCOMES, { message: `Must be one of ${TERMINAL_FAILURE_OUTCOMES.join(', ').toLowerCase()}` }));

/** Multipart values are strings: whole numbers only ("1e2", "3.5" and "" are refused, not coerced). */
const formNumber = (inner: z.ZodNumber) => z.string().trim().regex(/^\d{1,9}$/, 'Must be a whole number').transform(Number).pipe(inner);
const formBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0'], { message: 'Must be true or false' }))
  .transform((value) => value === 'true' || value === '1');
const formList = <T extends z.ZodType<unknown, string>>(item: T) => z.string().transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean)).pipe(z.array(item));

const common = {
  name: text(CAMPAIGN_LIMITS.name.max),
  audio_id: text(200),
  caller_id: z.string().trim().min(1).max(32).nullable().optional(),
  opt_out_digit: OptOutDigit.nullable().optional(),
};

/** ZensCall's multipart fields (the text parts; `csv_file` is streamed by the route). */
export const zensCallCampaignFields = z
  .strictObject({
    ...common,
    max_retries: formNumber(maxRetries).optional(),
    concurrent_limit: formNumber(between(CAMPAIGN_LIMITS.concurrentLimit)).optional(),
    /** A ZensCall create starts at once unless `start=false`. */
    start: formBoolean.optional(),
    retry_delay_minutes: formNumber(between(CAMPAIGN_LIMITS.retryDelayMinutes)).optional(),
    retry_on: formList(outcome).optional(),
    max_duration_seconds: formNumber(between(CAMPAIGN_LIMITS.maxDurationSeconds)).optional(),
    calls_per_second: formNumber(between(CAMPAIGN_LIMITS.callsPerSecond)).optional(),
    days: formList(z.string()).pipe(days).optional(),
    timezone: timezone.optional(),
    /** A form has no nested objects, so the JSON shape's `calling_hours {start, end}` is two flat fields here. */
    calling_hours_start: clockTime.optional(),
    calling_hours_end: clockTime.optional(),
    start_date: startDate.optional(),
  })
  .superRefine((fields, ctx) => {
    const start = fields.calling_hours_start;
    const end = fields.calling_hours_end;
    if ((start === undefined) !== (end === undefined)) {
      ctx.addIssue({ code: 'custom', path: [start === undefined ? 'calling_hours_start' : 'calling_hours_end'], message: 'Give both calling_hours_start and calling_hours_end, or neither' });
    } else if (start !== undefined && start === end) {
      ctx.addIssue({ code: 'custom', path: ['calling_hours_end'], message: 'The end must differ from the start' });
    }
  })
  .transform(
    (fields): CampaignRequest => ({
      name: fields.name,
      audioId: fields.audio_id,
      callerId: fields.caller_id ?? null,
      source: { kind: 'csv_upload' },
      concurrentLimit: fields.concurrent_limit ?? DEFAULT_CONCURRENT_LIMIT,
      maxAttempts: fields.max_retries === undefined ? DEFAULT_MAX_ATTEMPTS : attemptsFromRetries(fields.max_retries),
      retryDelayMinutes: fields.retry_delay_minutes ?? DEFAULT_RETRY_DELAY_MINUTES,
      retryOn: fields.retry_on ?? DEFAULT_RETRY_ON,
      maxDurationSeconds: fields.max_duration_seconds ?? null,
      callsPerSecond: fields.calls_per_second ?? null,
      startDate: fields.start_date ?? null,
      callingHours: fields.calling_hours_start && fields.calling_hours_end ? { start: fields.calling_hours_start, end: fields.calling_hours_end } : null,
      timezone: fields.timezone ?? null,
      days: fields.days ?? WEEKDAYS,
      autoStart: fields.start ?? true,
      optOutDigit: fields.opt_out_digit ?? null,
    }),
  );

/** OutboundCalls.ai's JSON body, plus our own fields. */
export const jsonCampaignBody = z
  .strictObject({
    ...common,
    contact_list_id: text(200),
    schedule: z
      .strictObject({
        start_date: startDate.nullable().optional(),
        calling_hours: callingHours.nullable().optional(),
        timezone: timezone.optional(),
        days: days.optional(),
      })
      .optional(),
    retry_rules: z
      .strictObject({
        max_attempts: between(CAMPAIGN_LIMITS.maxAttempts).optional(),
        delay_minutes: between(CAMPAIGN_LIMITS.retryDelayMinutes).optional(),
      })
      .optional(),
    max_retries: maxRetries.optional(),
    concurrent_calls: between(CAMPAIGN_LIMITS.concurrentLimit).optional(),
    concurrent_limit: between(CAMPAIGN_LIMITS.concurrentLimit).optional(),
    retry_on: z.array(outcome).optional(),
    max_duration_seconds: between(CAMPAIGN_LIMITS.maxDurationSeconds).nullable().optional(),
    calls_per_second: between(CAMPAIGN_LIMITS.callsPerSecond).nullable().optional(),
    days: days.optional(),
    /** Start now (or at the start date). Defaults to true when a start date is given, else false: POST /start starts it. */
    start: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    const oneOf = (paths: (string | number)[][], values: unknown[]) => {
      const given = paths.filter((_, i) => values[i] !== undefined);
      if (given.length > 1) ctx.addIssue({ code: 'custom', path: given[1]!, message: `Give only one of ${paths.map((p) => p.join('.')).join(', ')}` });
    };
    oneOf([['concurrent_calls'], ['concurrent_limit']], [body.concurrent_calls, body.concurrent_limit]);
    oneOf([['retry_rules', 'max_attempts'], ['max_retries']], [body.retry_rules?.max_attempts, body.max_retries]);
    oneOf([['schedule', 'days'], ['days']], [body.schedule?.days, body.days]);
  })
  .transform((body): CampaignRequest => {
    const startDateGiven = body.schedule?.start_date ?? null;
    return {
      name: body.name,
      audioId: body.audio_id,
      callerId: body.caller_id ?? null,
      source: { kind: 'contact_list', contactListId: body.contact_list_id },
      concurrentLimit: body.concurrent_calls ?? body.concurrent_limit ?? DEFAULT_CONCURRENT_LIMIT,
      maxAttempts: body.retry_rules?.max_attempts ?? (body.max_retries === undefined ? DEFAULT_MAX_ATTEMPTS : attemptsFromRetries(body.max_retries)),
      retryDelayMinutes: body.retry_rules?.delay_minutes ?? DEFAULT_RETRY_DELAY_MINUTES,
      retryOn: body.retry_on ?? DEFAULT_RETRY_ON,
      maxDurationSeconds: body.max_duration_seconds ?? null,
      callsPerSecond: body.calls_per_second ?? null,
      startDate: startDateGiven,
      callingHours: body.schedule?.calling_hours ?? null,
      timezone: body.schedule?.timezone ?? null,
      days: body.schedule?.days ?? body.days ?? WEEKDAYS,
      autoStart: body.start ?? startDateGiven !== null,
      optOutDigit: body.opt_out_digit ?? null,
    };
  });

export type CreateCampaignContext = {
  readonly campaignId: string;
  readonly tenantId: string;
  readonly at: Date;
  /** The account's zone and country: for a request that names no zone, and to read a national caller id. */
  readonly defaultTimezone: string;
  readonly defaultCountry: string;
  /** The import that holds a CSV upload's rows, and the list it made; required when the source is csv_upload. */
  readonly upload?: { readonly importId: string; readonly contactListId: string };
  readonly mode: 'live' | 'test';
};

/** The domain command for a validated request. Throws ValidationError naming the field. */
export function toCreateCampaign(request: CampaignRequest, context: CreateCampaignContext): CreateCampaign {
  const zone = request.timezone ?? context.defaultTimezone;
  const startAt = request.startDate === null ? null : startInstantOf(request.startDate, zone);
  if (request.startDate !== null && startAt === null) {
    throw new ValidationError('The start date is invalid.', { issues: [{ path: 'schedule.start_date', message: 'Must be a date or an ISO-8601 date-time' }] });
  }
  if (request.source.kind === 'csv_upload' && context.upload === undefined) {
    throw new ValidationError('A CSV upload needs its rows imported first.', { issues: [{ path: 'csv_file', message: 'Required' }] });
  }
  const source =
    request.source.kind === 'contact_list'
      ? request.source
      : ({ kind: 'import', importId: context.upload!.importId, contactListId: context.upload!.contactListId } as const);
  const settings = checkedSettings({
    name: request.name,
    audioId: request.audioId,
    callerId: request.callerId === null ? null : toE164(request.callerId, context.defaultCountry),
    source,
    mode: context.mode,
    concurrentLimit: request.concurrentLimit,
    maxAttempts: request.maxAttempts,
    retryDelayMinutes: request.retryDelayMinutes,
    retryOn: [...request.retryOn],
    maxDurationSeconds: request.maxDurationSeconds,
    callsPerSecond: request.callsPerSecond,
    optOutDigit: request.optOutDigit,
    schedule: { startAt, callingHours: request.callingHours, timezone: zone, days: [...request.days] },
  });
  return {
    type: 'CreateCampaign',
    data: { campaignId: context.campaignId, tenantId: context.tenantId, settings, autoStart: request.autoStart, at: context.at.toISOString() },
  };
}
