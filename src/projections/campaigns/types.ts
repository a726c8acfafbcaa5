import type { AttemptOutcome, PauseReason, SkipReason } from '../../domain/campaign/events.ts';
import type { CampaignSettings } from '../../domain/campaign/settings.ts';
import type { CampaignStatistics, ContactBucket } from '../../domain/campaign/statistics.ts';
import type { Money } from '../../domain/shared/money.ts';

/**
 * The campaign read model as the query API sees it. The projection (projection.ts) keeps one row per
 * campaign and one per enrolled contact; statistics are computed from those rows when asked.
 */

export type CampaignReadStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

export type CampaignRecord = {
  readonly campaignId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly status: CampaignReadStatus;
  /** Set while paused. */
  readonly pauseReason: PauseReason | null;
  readonly settings: CampaignSettings;
  readonly createdAt: string;
  /** When a scheduled campaign will start itself. */
  readonly scheduledFor: string | null;
  readonly startedAt: string | null;
  readonly pausedAt: string | null;
  readonly completedAt: string | null;
  readonly cancelledAt: string | null;
  readonly enrollmentClosed: boolean;
  readonly statistics: CampaignStatistics;
};

export type CampaignAttemptRecord = {
  readonly attempt: number;
  readonly callId: string;
  readonly startedAt: string;
  /** Null while the call is in flight. */
  readonly outcome: AttemptOutcome | null;
  readonly billableSeconds: number | null;
  readonly endedAt: string | null;
  readonly cost: Money | null;
};

export type CampaignContactRecord = {
  readonly contactId: string;
  readonly phone: string;
  /** The statistics bucket the contact counts in (pending, inProgress, …). */
  readonly state: ContactBucket;
  readonly skipReason: SkipReason | null;
  /** The final outcome, once the contact has one. */
  readonly outcome: AttemptOutcome | null;
  readonly retryAt: string | null;
  readonly attempts: readonly CampaignAttemptRecord[];
};

export type CampaignPage = { readonly page: number; readonly perPage: number };
