import { z } from 'zod';

/**
 * What the do-not-call API accepts. ZeroVoice's shapes: GET /compliance/dnc?phone= checks a
 * number, GET /compliance/dnc?page=&limit= lists; `phone_number` is taken for `phone`. The phone
 * is only shape-checked here; the command layer normalises it with the account's country.
 */

const wholeNumber = (max: number) =>
  z.string().regex(/^\d{1,9}$/, 'Must be a whole number').transform(Number).pipe(z.number().int().min(1).max(max));

const phone = z.string().trim().min(1).max(32);
const reason = z.string().trim().max(500).nullable().optional().transform((value) => (value ? value : null));

export const dncReadQuery = z
  .strictObject({
    phone: phone.optional(),
    page: wholeNumber(100_000).optional(),
    per_page: wholeNumber(100).optional(),
    limit: wholeNumber(100).optional(),
  })
  .transform((q) => ({ phone: q.phone ?? null, page: q.page ?? 1, perPage: q.per_page ?? q.limit ?? 25 }));

export const addDncBody = z
  .strictObject({ phone: phone.optional(), phone_number: phone.optional(), reason })
  .superRefine((body, ctx) => {
    if (body.phone === undefined && body.phone_number === undefined) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Required' });
    if (body.phone !== undefined && body.phone_number !== undefined) ctx.addIssue({ code: 'custom', path: ['phone_number'], message: 'Give phone or phone_number, not both' });
  })
  .transform((body) => ({ phone: (body.phone ?? body.phone_number)!, reason: body.reason }));

/** A removal's reason, in the body or as ?reason=. */
export const dncRemovalReason = z.strictObject({ reason });

/** The removal's reason may come in the body or as ?reason=; giving both is refused. */
export const removeDncInput = z
  .object({ body: dncRemovalReason.optional(), query: dncRemovalReason })
  .superRefine((input, ctx) => {
    if (input.body?.reason && input.query.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Give the reason in the body or the query, not both' });
  })
  .transform((input) => input.body?.reason ?? input.query.reason);

export const DNC_IMPORT_FIELDS = ['reason'] as const;
