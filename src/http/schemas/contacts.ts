import { z } from 'zod';
import { checkTimeZone } from '../../domain/account/validation.ts';
import type { ContactFields } from '../contacts-dependencies.ts';

/**
 * What the contacts API accepts: ZeroVoice's contact (`name`, `phone`, `email`, `company`, `tags`)
 * plus OutboundCalls.ai's `attributes` and a `time_zone`. `phone_number` is taken for `phone`.
 * Unknown fields are refused by name; the phone is only shape-checked here.
 */

const wholeNumber = (max: number) =>
  z.string().regex(/^\d{1,9}$/, 'Must be a whole number').transform(Number).pipe(z.number().int().min(1).max(max));

export const pageQuery = z
  .object({ page: wholeNumber(100_000).optional(), per_page: wholeNumber(100).optional(), limit: wholeNumber(100).optional() })
  .transform((q) => ({ page: q.page ?? 1, perPage: q.per_page ?? q.limit ?? 25 }));

export const listContactsQuery = z
  .object({
    page: wholeNumber(100_000).optional(),
    per_page: wholeNumber(100).optional(),
    limit: wholeNumber(100).optional(),
    search: z.string().max(200).optional(),
    tag: z.string().min(1).max(50).optional(),
  })
  .transform((q) => ({ page: q.page ?? 1, perPage: q.per_page ?? q.limit ?? 25, search: q.search ?? null, tag: q.tag ?? null }));

const timeZone = z
  .string()
  .trim()
  .transform((zone, ctx) => {
    try {
      return checkTimeZone(zone);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${zone}" is not an IANA time zone (e.g. Asia/Karachi)` });
      return z.NEVER;
    }
  });

const fields = {
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().min(1).max(32),
  phone_number: z.string().trim().min(1).max(32),
  email: z.email().max(320).nullable(),
  company: z.string().trim().max(200).nullable(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50),
  attributes: z.record(z.string().min(1).max(100), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).refine((a) => Object.keys(a).length <= 100, 'At most 100 attributes'),
  time_zone: timeZone.nullable(),
};

const partialBody = z.strictObject({
  name: fields.name.optional(),
  phone: fields.phone.optional(),
  phone_number: fields.phone_number.optional(),
  email: fields.email.optional(),
  company: fields.company.optional(),
  tags: fields.tags.optional(),
  attributes: fields.attributes.optional(),
  time_zone: fields.time_zone.optional(),
});

type PartialBody = z.infer<typeof partialBody>;

function toFields(body: PartialBody): Partial<ContactFields> {
  const out: Partial<ContactFields> = {};
  if (body.name !== undefined) out.name = body.name;
  const phone = body.phone ?? body.phone_number;
  if (phone !== undefined) out.phone = phone;
  if (body.email !== undefined) out.email = body.email;
  if (body.company !== undefined) out.company = body.company === '' ? null : body.company;
  if (body.tags !== undefined) out.tags = [...new Set(body.tags)];
  if (body.attributes !== undefined) out.attributes = body.attributes;
  if (body.time_zone !== undefined) out.timeZone = body.time_zone;
  return out;
}

const onePhone = (body: PartialBody, ctx: z.RefinementCtx) => {
  if (body.phone !== undefined && body.phone_number !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['phone_number'], message: 'Give phone or phone_number, not both' });
  }
};

export const createContactBody = partialBody.superRefine(onePhone).superRefine((body, ctx) => {
  if (body.name === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'Required' });
  if (body.phone === undefined && body.phone_number === undefined) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Required' });
}).transform((body): ContactFields => ({ email: null, company: null, tags: [], attributes: {}, timeZone: null, ...toFields(body) }) as ContactFields);

export const updateContactBody = partialBody.superRefine(onePhone).superRefine((body, ctx) => {
  if (Object.keys(body).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'Give at least one field to change' });
}).transform(toFields);

export const createListBody = z
  .strictObject({ name: z.string().trim().min(1).max(200), description: z.string().trim().max(2000).nullable().optional() })
  .transform((body) => ({ name: body.name, description: body.description || null }));

export const addToListBody = z
  .strictObject({ contact_ids: z.array(z.string().min(1).max(100)).min(1).max(10_000) })
  .transform((body) => body.contact_ids);

/** DELETE /contact-lists/:id/contacts with the ids in the body, as some clients send it. */
export const removeFromListBody = addToListBody;
