import { randomUUID } from 'node:crypto';
import type { ContactBucket } from '../../../src/domain/campaign/statistics.ts';
import { InvalidTransitionError, NotFoundError } from '../../../src/domain/shared/errors.ts';
import type { CampaignLifecycleAction, CampaignsDependencies } from '../../../src/http/campaigns-dependencies.ts';
import type { ImportReport } from '../../../src/http/contacts-dependencies.ts';
import type { RequestContext } from '../../../src/http/dependencies.ts';
import type { CampaignRequest } from '../../../src/http/schemas/campaigns.ts';
import type { CampaignContactRecord, CampaignPage, CampaignReadStatus, CampaignRecord } from '../../../src/projections/campaigns/types.ts';

/**
 * A stand-in for the campaign service and read model: it records every call the routes make,
 * keeps campaigns per tenant, and answers lifecycle actions with the statuses they lead to.
 */

const NEXT_STATUS: Readonly<Record<CampaignLifecycleAction, { from: readonly CampaignReadStatus[]; to: CampaignReadStatus }>> = {
  start: { from: ['draft', 'scheduled'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['draft', 'scheduled', 'running', 'paused'], to: 'cancelled' },
};

export const emptyStatistics = (): CampaignRecord['statistics'] => ({
  totals: {
    contacts: 0,
    pending: 0,
    inProgress: 0,
    retryScheduled: 0,
    completed: 0,
    busy: 0,
    noAnswer: 0,
    failed: 0,
    skipped: { total: 0, byReason: { invalid_number: 0, dnc: 0, duplicate: 0, unpriced_destination: 0 } },
  },
  attempts: 0,
  answerRate: null,
  averageBillableSeconds: null,
  spent: { amountMinor: 0, currency: 'PKR' },
  inFlight: 0,
  eta: null,
});

/** A campaign as the read model would hold it for this request. */
export function recordFrom(tenantId: string, request: CampaignRequest, overrides: Partial<CampaignRecord> = {}): CampaignRecord {
  const campaignId = randomUUID();
  return {
    campaignId,
    tenantId,
    name: request.name,
    status: request.autoStart ? 'running' : 'draft',
    pauseReason: null,
    settings: {
      name: request.name,
      audioId: request.audioId,
      callerId: request.callerId,
      source:
        request.source.kind === 'contact_list'
          ? { kind: 'contact_list', contactListId: request.source.contactListId }
          : { kind: 'import', importId: `import-${campaignId}`, contactListId: `list-${campaignId}` },
      mode: 'live',
      concurrentLimit: request.concurrentLimit,
      maxAttempts: request.maxAttempts,
      retryDelayMinutes: request.retryDelayMinutes,
      retryOn: [...request.retryOn],
      maxDurationSeconds: request.maxDurationSeconds,
      callsPerSecond: request.callsPerSecond,
      optOutDigit: request.optOutDigit,
      schedule: {
        startAt: request.startDate === null ? null : new Date(`${request.startDate}T00:00:00Z`).toISOString(),
        callingHours: request.callingHours,
        timezone: request.timezone ?? 'Asia/Karachi',
        days: [...request.days],
      },
    },
    createdAt: '2026-03-02T10:00:00.000Z',
    scheduledFor: null,
    startedAt: request.autoStart ? '2026-03-02T10:00:00.000Z' : null,
    pausedAt: null,
    completedAt: null,
    cancelledAt: null,
    enrollmentClosed: true,
    statistics: emptyStatistics(),
    ...overrides,
  };
}

export class FakeCampaigns implements CampaignsDependencies {
  readonly created: Array<{ ctx: RequestContext; request: CampaignRequest; csv: Uint8Array | null }> = [];
  readonly listed: Array<{ tenantId: string; query: CampaignPage & { status?: CampaignReadStatus } }> = [];
  readonly contactQueries: Array<{ tenantId: string; campaignId: string; query: CampaignPage & { state?: ContactBucket } }> = [];
  readonly transitions: Array<{ ctx: RequestContext; campaignId: string; action: CampaignLifecycleAction }> = [];
  /** When set, the next create rejects with it (then it is cleared). */
  failNextCreateWith: unknown = null;
  private readonly campaigns = new Map<string, CampaignRecord>();
  private readonly enrolled = new Map<string, CampaignContactRecord[]>();

  constructor(readonly maxCsvBytes: number) {}

  async create(ctx: RequestContext, request: CampaignRequest, csv: Uint8Array | null) {
    this.created.push({ ctx, request, csv });
    const failure = this.failNextCreateWith;
    this.failNextCreateWith = null;
    if (failure !== null) throw failure;
    const campaign = this.seed(recordFrom(ctx.principal.tenantId, request));
    const report: ImportReport | null =
      csv === null ? null : { importId: 'import-1', listId: campaign.settings.source.contactListId, imported: 2, duplicatesExisting: 0, rejected: 1, errors: [{ line: 4, phone: 'abc', reason: 'invalid_number', message: 'Not a phone number' }] };
    return { campaign, import: report };
  }

  /** A dry run: records nothing, answers the report create would give. */
  async preview(_ctx: RequestContext, _request: CampaignRequest, csv: Uint8Array | null) {
    const report: ImportReport | null =
      csv === null ? null : { importId: null, listId: null, imported: 2, duplicatesExisting: 0, rejected: 1, errors: [{ line: 4, phone: 'abc', reason: 'invalid_number', message: 'Not a phone number' }] };
    return { import: report };
  }

  async list(tenantId: string, query: CampaignPage & { status?: CampaignReadStatus }) {
    this.listed.push({ tenantId, query });
    const rows = [...this.campaigns.values()].filter((c) => c.tenantId === tenantId && (query.status === undefined || c.status === query.status));
    const start = (query.page - 1) * query.perPage;
    return { rows: rows.slice(start, start + query.perPage), total: rows.length };
  }

  async get(tenantId: string, campaignId: string) {
    const found = this.campaigns.get(campaignId);
    return found && found.tenantId === tenantId ? found : null;
  }

  async contacts(tenantId: string, campaignId: string, query: CampaignPage & { state?: ContactBucket }) {
    this.contactQueries.push({ tenantId, campaignId, query });
    if (!(await this.get(tenantId, campaignId))) return null;
    const rows = (this.enrolled.get(campaignId) ?? []).filter((c) => query.state === undefined || c.state === query.state);
    const start = (query.page - 1) * query.perPage;
    return { rows: rows.slice(start, start + query.perPage), total: rows.length };
  }

  async transition(ctx: RequestContext, campaignId: string, action: CampaignLifecycleAction) {
    this.transitions.push({ ctx, campaignId, action });
    const found = await this.get(ctx.principal.tenantId, campaignId);
    if (!found) throw new NotFoundError('CAMPAIGN_NOT_FOUND', 'No campaign with this id exists in your account.');
    const rule = NEXT_STATUS[action];
    if (!rule.from.includes(found.status)) throw new InvalidTransitionError(`Cannot ${action} a ${found.status} campaign`, { status: found.status });
    return this.seed({ ...found, status: rule.to, pauseReason: rule.to === 'paused' ? 'user' : null });
  }

  seed(campaign: CampaignRecord): CampaignRecord {
    this.campaigns.set(campaign.campaignId, campaign);
    return campaign;
  }

  enroll(campaignId: string, contacts: CampaignContactRecord[]): void {
    this.enrolled.set(campaignId, contacts);
  }
}
