import { z } from 'zod';
import type { RateEntry } from '../../domain/billing/rating.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { UsageQuery } from '../../projections/billing/queries.ts';
import type { PurchaseInput, RatePlanInput } from '../billing-dependencies.ts';

/** What the billing API accepts. Amounts are whole minor units (or a decimal string for top-ups). */

const MAX_MINOR = Number.MAX_SAFE_INTEGER;
const minorAmount = z.number().int().min(0).max(MAX_MINOR);
const id = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Use 1-64 letters, digits, "-" or "_"');
const instant = z.iso.datetime({ offset: true, message: 'Must be an ISO-8601 date-time with a time zone, e.g. 2026-12-01T00:00:00Z' });
const currency = z.string().regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 code such as PKR');

export const purchaseBody = z
  .strictObject({
    account_id: z.string().trim().min(1).max(100),
    amount_minor: minorAmount.refine((n) => n > 0, 'Must be more than zero').optional(),
    /** A decimal string in the account's currency, e.g. "1500.00"; numbers are refused so no float ever carries money. */
    amount: z.string().trim().regex(/^\d{1,15}(\.\d{1,4})?$/, 'Must be a decimal string such as "1500.00"').optional(),
    currency: currency.optional(),
    reference: z.string().trim().min(1).max(200),
  })
  .superRefine((body, ctx) => {
    const given = [body.amount_minor, body.amount].filter((v) => v !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: given === 0 ? ['amount_minor'] : ['amount'], message: 'Give exactly one of amount_minor and amount' });
  })
  .transform(
    (body): PurchaseInput => ({
      accountId: body.account_id,
      amountMinor: body.amount_minor ?? null,
      amountDecimal: body.amount ?? null,
      currency: body.currency ?? null,
      reference: body.reference,
    }),
  );

export const adjustmentBody = z
  .strictObject({
    amount_minor: z.number().int().min(-MAX_MINOR).max(MAX_MINOR).refine((n) => n !== 0, 'Must not be zero'),
    currency: currency.optional(),
    reason: z.string().trim().min(1).max(500),
    call_id: z.string().trim().min(1).max(100).nullable().optional(),
    adjustment_id: id.optional(),
  })
  .transform((body) => ({
    adjustmentId: body.adjustment_id ?? null,
    amountMinor: body.amount_minor,
    currency: body.currency ?? null,
    reason: body.reason,
    callId: body.call_id ?? null,
  }));

export const thresholdBody = z.strictObject({ threshold_minor: minorAmount.nullable() });

const rateBody = z
  .strictObject({
    rate_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).optional(),
    prefix: z.string().regex(/^\+\d{0,15}$/, 'Must be "+" followed by up to 15 digits ("+" alone is the catch-all)'),
    description: z.string().max(200).nullable().optional(),
    rate_per_minute_minor: minorAmount,
    /** "60/60", "30/6", "1/1"; or the two numbers separately. */
    billing_increment: z.string().regex(/^\d{1,4}\/\d{1,4}$/, 'Must look like "60/60"').optional(),
    initial_increment_seconds: z.number().int().min(1).max(3600).optional(),
    subsequent_increment_seconds: z.number().int().min(1).max(3600).optional(),
    connection_fee_minor: minorAmount.optional(),
    minimum_billable_seconds: z.number().int().min(0).max(3600).optional(),
  })
  .superRefine((rate, ctx) => {
    const split = rate.initial_increment_seconds !== undefined || rate.subsequent_increment_seconds !== undefined;
    if (rate.billing_increment !== undefined && split) {
      ctx.addIssue({ code: 'custom', path: ['billing_increment'], message: 'Give billing_increment or the two increment fields, not both' });
    }
    if (rate.billing_increment !== undefined) {
      const [initial, subsequent] = rate.billing_increment.split('/').map(Number);
      if (!initial || !subsequent || initial > 3600 || subsequent > 3600) {
        ctx.addIssue({ code: 'custom', path: ['billing_increment'], message: 'Increments are 1 to 3600 seconds' });
      }
    }
  })
  .transform((rate): RateEntry => {
    const [initial, subsequent] = rate.billing_increment?.split('/').map(Number) ?? [
      rate.initial_increment_seconds ?? 60,
      rate.subsequent_increment_seconds ?? rate.initial_increment_seconds ?? 60,
    ];
    return {
      rateId: rate.rate_id ?? `prefix-${rate.prefix.slice(1) || 'any'}`,
      prefix: rate.prefix,
      description: rate.description ?? null,
      ratePerMinuteMinor: rate.rate_per_minute_minor,
      initialIncrementSeconds: initial ?? 60,
      subsequentIncrementSeconds: subsequent ?? 60,
      connectionFeeMinor: rate.connection_fee_minor ?? 0,
      minimumBillableSeconds: rate.minimum_billable_seconds ?? 0,
    };
  });

const rates = z.array(rateBody).min(1, 'A rate plan needs at least one rate').max(10_000);

export const ratePlanBody = z
  .strictObject({ id: id.optional(), plan_id: id.optional(), name: z.string().trim().min(1).max(200), currency, rates })
  .superRefine((body, ctx) => {
    if (body.id !== undefined && body.plan_id !== undefined) ctx.addIssue({ code: 'custom', path: ['plan_id'], message: 'Give id or plan_id, not both' });
  })
  .transform((body): RatePlanInput => ({ planId: body.id ?? body.plan_id ?? null, name: body.name, currency: body.currency, rates: body.rates }));

export const revisionBody = z
  .strictObject({ rates, effective_from: instant.optional() })
  .transform((body) => ({ rates: body.rates, effectiveFrom: body.effective_from ?? null }));

export const assignmentBody = z
  .strictObject({ plan_id: id, effective_from: instant.optional() })
  .transform((body) => ({ planId: body.plan_id, effectiveFrom: body.effective_from ?? null }));

const wholeNumber = (max: number) =>
  z.string().regex(/^\d{1,9}$/, 'Must be a whole number').transform(Number).pipe(z.number().int().min(1).max(max));

/** A date (YYYY-MM-DD, UTC) or an ISO date-time; a bare `to` date includes that whole day. */
const bound = (end: boolean) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) ? !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) : instant.safeParse(v).success, 'Must be a date (YYYY-MM-DD) or an ISO-8601 date-time')
    .transform((v) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(v).toISOString();
      const start = Date.parse(`${v}T00:00:00Z`);
      return new Date(end ? start + 86_400_000 : start).toISOString();
    });

export const usageQuery = z
  .object({
    from: bound(false).optional(),
    to: bound(true).optional(),
    page: wholeNumber(100_000).optional(),
    per_page: wholeNumber(100).optional(),
    limit: wholeNumber(100).optional(),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    }
    if (query.per_page !== undefined && query.limit !== undefined) ctx.addIssue({ code: 'custom', path: ['limit'], message: 'Give per_page or limit, not both' });
  })
  .transform((query): UsageQuery => ({ from: query.from ?? null, to: query.to ?? null, page: query.page ?? 1, perPage: query.per_page ?? query.limit ?? 20 }));

/** GET /credits/usage/daily: UTC dates, both ends included (the range is checked by usageDayRange). */
export const dailyUsageQuery = z.object({
  from: z.string().meta({ description: 'first UTC day, YYYY-MM-DD (default: 29 days before `to`)' }).optional(),
  to: z.string().meta({ description: 'last UTC day, YYYY-MM-DD, included (default: today)' }).optional(),
});

export function ratePlanNotFound(planId: string): NotFoundError {
  return new NotFoundError('RATE_PLAN_NOT_FOUND', 'No rate plan with this id exists.', { plan_id: planId });
}

export function parsePlanId(raw: unknown): string {
  const parsed = id.safeParse(raw);
  if (!parsed.success) throw ratePlanNotFound(String(raw));
  return parsed.data;
}
