import type { CampaignContactRecord, CampaignPage, CampaignReadStatus, CampaignRecord } from '../projections/campaigns/types.ts';
import type { ContactBucket } from '../domain/campaign/statistics.ts';
import type { CampaignRequest } from './schemas/campaigns.ts';
import type { ImportReport } from './contacts-dependencies.ts';
import type { RequestContext } from './dependencies.ts';

export type CampaignLifecycleAction = 'start' | 'pause' | 'resume' | 'cancel';

/** What the campaign routes need; absent → those routes answer 404. */
export interface CampaignsDependencies {
  /** The largest CSV upload accepted with a ZensCall create, in bytes (larger → 413). */
  readonly maxCsvBytes: number;
  /**
   * Validates the audio and list (AUDIO_NOT_FOUND / CONTACT_LIST_NOT_FOUND, 404, naming the field),
   * imports the CSV when one is given (its whole-file refusals 422/413 come before anything is
   * written), creates the campaign and enrolls its contacts. Answers once the read model has it.
   */
  create(ctx: RequestContext, request: CampaignRequest, csv: Uint8Array | null): Promise<{ campaign: CampaignRecord; import: ImportReport | null }>;
  /** create's checks and the CSV's per-row import report, writing nothing (`?dry_run=true`). */
  preview(ctx: RequestContext, request: CampaignRequest, csv: Uint8Array | null): Promise<{ import: ImportReport | null }>;
  list(tenantId: string, query: CampaignPage & { status?: CampaignReadStatus }): Promise<{ rows: CampaignRecord[]; total: number }>;
  /** Null for an unknown or foreign id. */
  get(tenantId: string, campaignId: string): Promise<CampaignRecord | null>;
  contacts(tenantId: string, campaignId: string, query: CampaignPage & { state?: ContactBucket }): Promise<{ rows: CampaignContactRecord[]; total: number } | null>;
  /** 404 CAMPAIGN_NOT_FOUND for a foreign id; 409 INVALID_STATE_TRANSITION for one the status forbids. */
  transition(ctx: RequestContext, campaignId: string, action: CampaignLifecycleAction): Promise<CampaignRecord>;
}
