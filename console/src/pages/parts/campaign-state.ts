import type { Campaign, CampaignStatus, CampaignTotals } from './types.ts';

/**
 * What the campaign pages work out from a campaign's JSON: how far it has got, and which lifecycle
 * buttons make sense in its status (the engine's decider has the last word and answers 409).
 */
export type LifecycleAction = 'start' | 'pause' | 'resume' | 'cancel';

const LEGAL: Record<CampaignStatus, readonly LifecycleAction[]> = {
  draft: ['start', 'cancel'],
  scheduled: ['start', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  cancelled: [],
};

export const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = ['start', 'pause', 'resume', 'cancel'];

export function isLegal(status: CampaignStatus, action: LifecycleAction): boolean {
  return LEGAL[status]?.includes(action) ?? false;
}

/** Contacts that need no more calls: answered, given up on, or skipped. */
export function finishedContacts(totals: CampaignTotals): number {
  return Math.max(0, totals.contacts - totals.pending - totals.in_progress - totals.retry_scheduled);
}

/** The progress bar's numbers; a completed campaign is full even if it had no contacts to call. */
export function progressOf(campaign: Pick<Campaign, 'status' | 'statistics'>): { value: number; max: number } {
  const { totals } = campaign.statistics;
  if (campaign.status === 'completed') return { value: Math.max(1, totals.contacts), max: Math.max(1, totals.contacts) };
  return { value: finishedContacts(totals), max: totals.contacts };
}

/** Which contact states the detail page's filter offers (the API's `?state=` names). */
export const CONTACT_STATES = ['pending', 'in_progress', 'retry_scheduled', 'completed', 'busy', 'no_answer', 'failed', 'skipped'] as const;
