import { z } from 'zod';

/**
 * What the webhook API accepts. Event type names are only shape-checked here: the command layer
 * names the unknown ones (422 WEBHOOK_EVENT_TYPE_UNKNOWN); URLs are judged there too (scheme,
 * SSRF), so every path into an endpoint meets the same checks.
 */

const url = z.string().trim().min(1).max(4096);
const events = z.array(z.string().min(1).max(100)).min(1).max(50);
const description = z.string().trim().max(500).nullable().optional();

export const createWebhookBody = z
  .strictObject({ url, events, description, enabled: z.boolean().optional() })
  .transform((body) => ({ url: body.url, events: body.events, description: body.description ?? null, enabled: body.enabled ?? true }));

export const updateWebhookBody = z
  .strictObject({ url: url.optional(), events: events.optional(), description, enabled: z.boolean().optional() })
  .refine((body) => Object.keys(body).length > 0, 'Give at least one of url, events, description, enabled')
  .transform((body) => ({
    ...(body.url !== undefined ? { url: body.url } : {}),
    ...(body.events !== undefined ? { events: body.events } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
  }));

const wholeNumber = (max: number) =>
  z.string().regex(/^\d{1,9}$/, 'Must be a whole number').transform(Number).pipe(z.number().int().min(1).max(max));

export const deliveriesQuery = z
  .strictObject({
    status: z.enum(['pending', 'delivered', 'failed']).optional(),
    page: wholeNumber(100_000).optional(),
    per_page: wholeNumber(100).optional(),
    limit: wholeNumber(100).optional(),
  })
  .transform((q) => ({ status: q.status ?? null, page: q.page ?? 1, perPage: q.per_page ?? q.limit ?? 25 }));

const instant = z.iso.datetime({ offset: true });

export const replayBody = z.strictObject({ from: instant, to: instant });

/** Ids in paths: a bad one is simply not found, never a 500 from a type mismatch. */
export const webhookIdParam = z.string().regex(/^[0-9a-f-]{36}$/i);
