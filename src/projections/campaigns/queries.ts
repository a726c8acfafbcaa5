import { sql, type Kysely } from 'kysely';
import { SKIP_REASONS, type SkipReason } from '../../domain/campaign/events.ts';
import { statisticsFromCounts, type CampaignStatistics, type ContactBucket } from '../../domain/campaign/statistics.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { campaignFromColumns, contactFromColumns, contactRecordOf, domainStatusOf, type CampaignRow } from './rows.ts';
import { CAMPAIGN_CONTACTS, CAMPAIGNS } from './schema.ts';
import type { CampaignContactRecord, CampaignPage, CampaignReadStatus, CampaignRecord } from './types.ts';

/**
 * What `spent` is counted in before anything was charged: the tenant's account currency (from the
 * accounts read model), else this. After the first charge it is that charge's currency.
 */
export const FALLBACK_CURRENCY = 'USD';

const DONE: readonly ContactBucket[] = ['completed', 'busy', 'noAnswer', 'failed'];
const LIVE: readonly CampaignReadStatus[] = ['scheduled', 'running', 'paused'];

type CampaignWithCurrency = { row: CampaignRow; accountCurrency: string | null };

/**
 * What the HTTP layer and the dialer read about campaigns. Every tenant-facing query takes the
 * tenant; a campaign of another tenant is answered as not found. Statistics are computed when
 * asked: the campaign row's counters plus one grouped count of its contacts, fed to the same
 * `statisticsFromCounts` the domain's fold uses. The ETA reads `now` from the clock given.
 */
export class CampaignQueries {
  constructor(
    private readonly db: Kysely<any>,
    private readonly clock: Clock,
  ) {}

  /** Newest first. */
  async list(tenantId: string, query: CampaignPage & { status?: CampaignReadStatus }): Promise<{ rows: CampaignRecord[]; total: number }> {
    let base = this.db.selectFrom(CAMPAIGNS).where('tenant_id', '=', tenantId);
    if (query.status) base = base.where('status', '=', query.status);
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .select(accountCurrency)
        .orderBy('created_at', 'desc')
        .orderBy('campaign_id', 'desc')
        .limit(query.perPage)
        .offset((query.page - 1) * query.perPage)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: await this.records(tenantId, rows.map(withCurrency)), total: Number(count.total) };
  }

  /** Null for an unknown campaign or another tenant's. */
  async get(tenantId: string, campaignId: string): Promise<CampaignRecord | null> {
    const row = await this.db.selectFrom(CAMPAIGNS).selectAll().select(accountCurrency).where('tenant_id', '=', tenantId).where('campaign_id', '=', campaignId).executeTakeFirst();
    if (!row) return null;
    const [record] = await this.records(tenantId, [withCurrency(row)]);
    return record ?? null;
  }

  /** In enrollment order, optionally only those in one statistics bucket; null for an unknown or foreign campaign. */
  async contacts(
    tenantId: string,
    campaignId: string,
    query: CampaignPage & { state?: ContactBucket },
  ): Promise<{ rows: CampaignContactRecord[]; total: number } | null> {
    const campaign = await this.db.selectFrom(CAMPAIGNS).select('campaign_id').where('tenant_id', '=', tenantId).where('campaign_id', '=', campaignId).executeTakeFirst();
    if (!campaign) return null;
    let base = this.db.selectFrom(CAMPAIGN_CONTACTS).where('campaign_id', '=', campaignId).where('tenant_id', '=', tenantId);
    if (query.state) base = base.where('bucket', '=', query.state);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('ordinal').limit(query.perPage).offset((query.page - 1) * query.perPage).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map((row) => contactRecordOf(contactFromColumns(row))), total: Number(count.total) };
  }

  /** Every campaign scheduled, running or paused, of every tenant: what the dialer picks up at startup. */
  async active(): Promise<Array<{ campaignId: string; tenantId: string; status: CampaignReadStatus }>> {
    const rows = await this.db.selectFrom(CAMPAIGNS).select(['campaign_id', 'tenant_id', 'status']).where('status', 'in', LIVE).orderBy('created_at').orderBy('campaign_id').execute();
    return rows.map((row) => ({ campaignId: row.campaign_id, tenantId: row.tenant_id, status: row.status }));
  }

  /** Ids of the tenant's running or paused campaigns that play this audio (it may not be deleted meanwhile). */
  async playing(tenantId: string, audioId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom(CAMPAIGNS)
      .select('campaign_id')
      .where('tenant_id', '=', tenantId)
      .where('status', 'in', ['running', 'paused'])
      .where(sql<string>`settings->>'audioId'`, '=', audioId)
      .orderBy('created_at')
      .orderBy('campaign_id')
      .execute();
    return rows.map((row) => row.campaign_id);
  }

  private async records(tenantId: string, campaigns: readonly CampaignWithCurrency[]): Promise<CampaignRecord[]> {
    if (campaigns.length === 0) return [];
    const groups = await this.db
      .selectFrom(CAMPAIGN_CONTACTS)
      .select(['campaign_id', 'bucket', 'skip_reason'])
      .select((eb) => [eb.fn.countAll<string>().as('contacts'), sql<string>`coalesce(sum(jsonb_array_length(attempts)), 0)`.as('attempts')])
      .where('tenant_id', '=', tenantId)
      .where(
        'campaign_id',
        'in',
        campaigns.map(({ row }) => row.campaignId),
      )
      .groupBy(['campaign_id', 'bucket', 'skip_reason'])
      .execute();
    const now = this.clock.now();
    return campaigns.map(({ row, accountCurrency }) => {
      const mine = groups.filter((group) => group.campaign_id === row.campaignId);
      return recordOf(row, statisticsOf(row, accountCurrency, mine, now));
    });
  }
}

const accountCurrency = sql<string | null>`(select a.currency from accounts a where a.account_id = ${sql.ref(`${CAMPAIGNS}.tenant_id`)})`.as('account_currency');

function withCurrency(row: Record<string, unknown>): CampaignWithCurrency {
  return { row: campaignFromColumns(row), accountCurrency: (row.account_currency as string | null) ?? null };
}

type BucketGroup = { bucket: string; skip_reason: string | null; contacts: string | number; attempts: string | number };

function statisticsOf(row: CampaignRow, accountCurrency: string | null, groups: readonly BucketGroup[], now: Date): CampaignStatistics {
  const buckets: Record<ContactBucket, number> = { pending: 0, inProgress: 0, retryScheduled: 0, completed: 0, busy: 0, noAnswer: 0, failed: 0, skipped: 0 };
  const skippedByReason = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
  skippedByReason.duplicate += row.duplicateEntries;
  let finishedAttempts = 0;
  for (const group of groups) {
    const bucket = group.bucket as ContactBucket;
    const contacts = Number(group.contacts);
    buckets[bucket] += contacts;
    if (bucket === 'skipped' && group.skip_reason !== null) skippedByReason[group.skip_reason as SkipReason] += contacts;
    if (DONE.includes(bucket)) finishedAttempts += Number(group.attempts);
  }
  const { counters } = row;
  return statisticsFromCounts(
    { status: domainStatusOf(row.status), settings: row.settings },
    {
      buckets,
      skippedByReason,
      attempts: counters.attempts,
      endedAttempts: counters.endedAttempts,
      answeredAttempts: counters.answeredAttempts,
      answeredBillableSeconds: counters.answeredBillableSeconds,
      attemptMs: counters.attemptMs,
      finishedAttempts,
      spent: { amountMinor: counters.spentMinor, currency: row.currency ?? accountCurrency ?? FALLBACK_CURRENCY },
      inFlight: counters.inFlight,
    },
    { now },
  );
}

function recordOf(row: CampaignRow, statistics: CampaignStatistics): CampaignRecord {
  return {
    campaignId: row.campaignId,
    tenantId: row.tenantId,
    name: row.name,
    status: row.status,
    pauseReason: row.pauseReason,
    settings: row.settings,
    createdAt: row.createdAt,
    scheduledFor: row.scheduledFor,
    startedAt: row.startedAt,
    pausedAt: row.pausedAt,
    completedAt: row.completedAt,
    cancelledAt: row.cancelledAt,
    enrollmentClosed: row.enrollmentClosed,
    statistics,
  };
}
