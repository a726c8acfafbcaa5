import { z } from 'zod';

/** The most links one POST /operator/verify checks; the CLI has no bound, a request must. */
export const VERIFY_MAX_EVENTS = 5_000_000;
export const VERIFY_DEFAULT_EVENTS = 1_000_000;

export const verifyBody = z.strictObject({
  stream: z.string().trim().min(1).max(300).optional().meta({ description: 'one stream, e.g. call-<uuid>; absent: every stream' }),
  max_events: z
    .number()
    .int()
    .min(1)
    .max(VERIFY_MAX_EVENTS)
    .optional()
    .meta({ description: `stop after this many links (default ${VERIFY_DEFAULT_EVENTS}); the verdict is then "incomplete"` }),
});

const instant = z
  .string()
  .trim()
  .refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) || (z.iso.datetime({ offset: true }).safeParse(text).success && !Number.isNaN(Date.parse(text))), {
    message: 'an ISO 8601 date-time with a zone, or a date (UTC midnight)',
  })
  .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text).toISOString());

/** `audit account`'s period: calls placed in [from, to). */
export const accountAuditQuery = z
  .object({
    from: instant.meta({ description: 'first instant, included (date or date-time)' }),
    to: instant.meta({ description: 'last instant, excluded (date or date-time)' }),
  })
  .refine((query) => Date.parse(query.from) < Date.parse(query.to), { path: ['to'], message: 'to must be after from' });
