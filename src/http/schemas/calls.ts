import { z } from 'zod';
import { OptOutDigit, TERMINAL_FAILURE_OUTCOMES } from '../../domain/call/events.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { ListCallsQuery, PlaceCallInput } from '../dependencies.ts';
import { callingHoursBody } from './calling-hours.ts';

/**
 * What the calls API accepts. Besides our own fields, the request shapes of the services clients
 * migrate from are accepted as they are, so switching to calltrail needs no client rewrite:
 * - ZensCall:  { phone_number, audio_id }
 * - ZeroVoice: { to_number, from_number, record }
 * - ZazaVoice: { to, from }
 * Phone numbers are only shape-checked here; the command layer normalises them to E.164.
 */

export const CALL_STATUSES = ['REQUESTED', 'DIALING', 'RINGING', 'ANSWERED', 'COMPLETED', ...TERMINAL_FAILURE_OUTCOMES, 'BLOCKED'] as const;

export const MAX_DURATION_SECONDS = 14_400;
export const MAX_RING_TIMEOUT_SECONDS = 300;
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;
/** Deep offsets cost the read model a scan; nobody pages this far by hand. */
export const MAX_PAGE = 100_000;

const DESTINATION_FIELDS = ['phone_number', 'to_number', 'to'] as const;
const CALLER_ID_FIELDS = ['caller_id', 'from_number', 'from'] as const;

const phoneNumber = z.string().trim().min(1).max(32);
const wholeSeconds = (max: number) => z.number().int().min(1).max(max).nullable().optional();

const placeCallFields = z.strictObject({
  phone_number: phoneNumber.optional(),
  to_number: phoneNumber.optional(),
  to: phoneNumber.optional(),
  caller_id: phoneNumber.nullable().optional(),
  from_number: phoneNumber.nullable().optional(),
  from: phoneNumber.nullable().optional(),
  audio_id: z.string().trim().min(1).max(200).nullable().optional(),
  record: z.boolean().optional(),
  max_duration_seconds: wholeSeconds(MAX_DURATION_SECONDS),
  ring_timeout_seconds: wholeSeconds(MAX_RING_TIMEOUT_SECONDS),
  /** This call's own calling hours, replacing the account's; null: none for this call. */
  calling_hours: callingHoursBody.nullable().optional(),
  /** Outside the calling hours: "next_window" keeps the call and places it when they open. */
  schedule: z.enum(['next_window'], { message: 'Must be "next_window"' }).optional(),
  /** The key that opts the callee out (do-not-call) and ends the call. */
  opt_out_digit: OptOutDigit.nullable().optional(),
  /** ZeroVoice's per-call webhook: the call's status events go there (checked like an endpoint's URL). */
  status_callback_url: z.string().trim().min(1).max(4096).nullable().optional(),
});

type PlaceCallFields = z.infer<typeof placeCallFields>;

const present = (body: PlaceCallFields, fields: readonly (keyof PlaceCallFields)[]) =>
  fields.filter((field) => body[field] !== undefined && body[field] !== null);

export const placeCallBody = placeCallFields
  .superRefine((body, ctx) => {
    const destinations = present(body, DESTINATION_FIELDS);
    if (destinations.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: destinations.length === 0 ? [] : [destinations[1] ?? ''],
        message:
          destinations.length === 0
            ? `One of ${DESTINATION_FIELDS.join(', ')} is required`
            : `Give only one destination; got ${destinations.join(', ')}`,
      });
    }
    const callerIds = present(body, CALLER_ID_FIELDS);
    if (callerIds.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [callerIds[1] ?? ''],
        message: `Give only one caller id; got ${callerIds.join(', ')}`,
      });
    }
  })
  .transform(
    (body): PlaceCallInput => ({
      // superRefine guarantees exactly one destination by now.
      phoneNumber: body.phone_number ?? body.to_number ?? body.to ?? '',
      audioId: body.audio_id ?? null,
      callerId: body.caller_id ?? body.from_number ?? body.from ?? null,
      record: body.record ?? false,
      maxDurationSeconds: body.max_duration_seconds ?? null,
      ringTimeoutSeconds: body.ring_timeout_seconds ?? null,
      ...(body.calling_hours === undefined ? {} : { callingHours: body.calling_hours }),
      ...(body.schedule === undefined ? {} : { schedule: body.schedule }),
      optOutDigit: body.opt_out_digit ?? null,
      ...(body.status_callback_url ? { statusCallbackUrl: body.status_callback_url } : {}),
    }),
  );

/** Query values arrive as strings; "1e2", " 5" and "" are refused rather than coerced. */
const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'Must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

/** An ISO 8601 date-time with a zone (Z or ±hh:mm), normalised to UTC so comparisons are plain string order. */
const createdInstant = z.iso
  .datetime({ offset: true, abort: true, message: 'Must be an ISO 8601 date-time with a time zone, e.g. 2026-11-23T10:15:00Z' })
  .refine((text) => !Number.isNaN(Date.parse(text)), 'Must be a real date-time')
  .transform((text) => new Date(text).toISOString());

/**
 * The number filter: digits, optionally after a "+". With the "+" it is a prefix of the E.164
 * number ("+4915" = German mobiles); without, the digits may appear anywhere ("1234567").
 * Only digits are allowed, so the value can never carry a LIKE wildcard.
 */
const phoneFilter = z
  .string()
  .trim()
  .regex(/^\+?\d{1,20}$/, 'Must be digits, optionally starting with +');

export const listCallsQuery = z
  .object({
    page: wholeNumber(MAX_PAGE).optional(),
    per_page: wholeNumber(MAX_PER_PAGE).optional(),
    /** ZeroVoice's name for per_page. */
    limit: wholeNumber(MAX_PER_PAGE).optional(),
    status: z
      .string()
      .transform((status) => status.toUpperCase())
      .pipe(z.enum(CALL_STATUSES))
      .optional(),
    /** Calls created at or after this instant. */
    from: createdInstant.optional().meta({ description: 'calls created at or after this ISO date-time (with a zone)' }),
    /** Calls created before this instant (exclusive, so day ranges chain without overlap). */
    to: createdInstant.optional().meta({ description: 'calls created before this ISO date-time (exclusive)' }),
    campaign_id: z.string().trim().min(1).max(200).optional().meta({ description: 'calls placed by this campaign' }),
    phone: phoneFilter.optional().meta({ description: '"+digits": the number starts with them; bare digits: they appear anywhere in it' }),
  })
  .superRefine((query, ctx) => {
    if (query.per_page !== undefined && query.limit !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['limit'], message: 'Give per_page or limit, not both' });
    }
    if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be later than from' });
    }
  })
  .transform(
    (query): ListCallsQuery => ({
      page: query.page ?? 1,
      perPage: query.per_page ?? query.limit ?? DEFAULT_PER_PAGE,
      status: query.status ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      campaignId: query.campaign_id ?? null,
      phone: query.phone ?? null,
    }),
  );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function callNotFound(): NotFoundError {
  return new NotFoundError('CALL_NOT_FOUND', 'Call not found');
}

/** A malformed id is answered exactly like an unknown one: ids reveal nothing. */
export function parseCallId(raw: unknown): string {
  if (typeof raw !== 'string' || !UUID.test(raw)) throw callNotFound();
  return raw.toLowerCase();
}
