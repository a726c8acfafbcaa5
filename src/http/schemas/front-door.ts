import { z } from 'zod';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { callingHoursBody } from './calling-hours.ts';

/** Request bodies of the front door's routes. Unknown fields are refused, so typos are heard. */

const role = z.enum(['owner', 'admin', 'developer']);
const scope = z.string().regex(/^[a-z][a-z0-9_.:*-]*$/, 'not a valid scope').max(64);
const perMinute = z.number().int().min(1).max(1_000_000).nullable();
/** Ids we issue are uuids; anything else cannot exist, so it is a 404 like any other unknown id. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseId(raw: unknown, notFound: () => NotFoundError): string {
  if (typeof raw !== 'string' || !UUID.test(raw)) throw notFound();
  return raw.toLowerCase();
}

export const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
  account_id: z.string().min(1).max(64).optional(),
});

export const refreshBody = z.strictObject({ refresh_token: z.string().min(1).max(512) });

export const newApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  mode: z.enum(['live', 'test']).default('live'),
  scopes: z.array(scope).max(50).default([]),
  role: role.optional(),
});

export const newUserBody = z.strictObject({
  email: z.string().trim().min(3).max(254),
  name: z.string().trim().max(200).default(''),
  role: role.default('developer'),
  password: z.string().min(1).max(200),
});

export const userChangeBody = z
  .strictObject({ role: role.optional(), password: z.string().min(1).max(200).optional() })
  .refine((body) => body.role !== undefined || body.password !== undefined, { message: 'Give role or password' });

const planBody = z.strictObject({
  name: z.string().trim().min(1).max(64),
  general_per_minute: perMinute.default(null),
  calls_per_minute: perMinute.default(null),
});

export const newAccountBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  default_country: z.string().length(2).transform((c) => c.toUpperCase()),
  currency: z.string().length(3).transform((c) => c.toUpperCase()),
  time_zone: z.string().min(1).max(64),
  plan: planBody.optional(),
  owner: z.strictObject({ email: z.string().trim().min(3).max(254), name: z.string().trim().max(200).default(''), password: z.string().min(1).max(200) }).optional(),
});

export const accountChangeBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    default_country: z.string().length(2).transform((c) => c.toUpperCase()).optional(),
    time_zone: z.string().min(1).max(64).optional(),
    max_call_duration_seconds: z.number().int().min(1).max(14_400).nullable().optional(),
    calling_hours: callingHoursBody.nullable().optional(),
    plan: planBody.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: 'Nothing to change' });

export const planFrom = (plan: z.infer<typeof planBody>) => ({
  plan: plan.name,
  generalPerMinute: plan.general_per_minute,
  callsPerMinute: plan.calls_per_minute,
});
