import { z } from 'zod';
import type { ContactBucket } from '../../domain/campaign/statistics.ts';
import type { CampaignReadStatus } from '../../projections/campaigns/types.ts';

/**
 * The campaigns API's query strings: pages, the list's `status` filter and the contacts' `state`
 * filter. States are snake_case on the wire (`no_answer`) and the statistics' camelCase buckets
 * (`noAnswer`) inside; this is the one place that translates them.
 */

const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const satisfies readonly CampaignReadStatus[];

/** Wire name → bucket; also what views/campaigns.ts renders a bucket as. */
export const CONTACT_STATES = {
  pending: 'pending',
  in_progress: 'inProgress',
  retry_scheduled: 'retryScheduled',
  completed: 'completed',
  busy: 'busy',
  no_answer: 'noAnswer',
  failed: 'failed',
  skipped: 'skipped',
} as const satisfies Record<string, ContactBucket>;

export type ContactStateName = keyof typeof CONTACT_STATES;

export const contactStateName = (bucket: ContactBucket): ContactStateName =>
  (Object.keys(CONTACT_STATES) as ContactStateName[]).find((name) => CONTACT_STATES[name] === bucket)!;

const STATE_NAMES = Object.keys(CONTACT_STATES) as [ContactStateName, ...ContactStateName[]];

const wholeNumber = (max: number) =>
  z.string().regex(/^\d{1,9}$/, 'Must be a whole number').transform(Number).pipe(z.number().int().min(1, `Must be from 1 to ${max}`).max(max, `Must be from 1 to ${max}`));

const lowercase = z.string().trim().toLowerCase();

const page = {
  page: wholeNumber(100_000).optional(),
  per_page: wholeNumber(100).optional(),
  limit: wholeNumber(100).optional(),
};
const DEFAULT_PER_PAGE = 25;

export const listCampaignsQuery = z
  .object({ ...page, status: lowercase.pipe(z.enum(CAMPAIGN_STATUSES, { message: `Must be one of ${CAMPAIGN_STATUSES.join(', ')}` })).optional() })
  .transform((q) => ({ page: q.page ?? 1, perPage: q.per_page ?? q.limit ?? DEFAULT_PER_PAGE, ...(q.status ? { status: q.status } : {}) }));

export const campaignContactsQuery = z
  .object({ ...page, state: lowercase.pipe(z.enum(STATE_NAMES, { message: `Must be one of ${STATE_NAMES.join(', ')}` })).optional() })
  .transform((q) => ({ page: q.page ?? 1, perPage: q.per_page ?? q.limit ?? DEFAULT_PER_PAGE, ...(q.state ? { state: CONTACT_STATES[q.state] } : {}) }));
