import type { AttemptOutcome, PauseReason, SkipReason } from '../../domain/campaign/events.ts';
import type { CampaignSettings } from '../../domain/campaign/settings.ts';
import type { AttemptRecord, ContactProgress, ExistingCampaign, Roster } from '../../domain/campaign/state.ts';
import { contactBucket, type ContactBucket } from '../../domain/campaign/statistics.ts';
import type { CampaignAttemptRecord, CampaignContactRecord, CampaignReadStatus } from './types.ts';

/**
 * The campaign read model's rows in memory, their columns, and their translation to and from the
 * domain's state: the projection folds each event with the domain's own `evolveCampaign`, so the
 * read model cannot come to disagree with what the decider sees.
 */

export type CampaignRow = {
  campaignId: string;
  tenantId: string;
  name: string;
  status: CampaignReadStatus;
  pauseReason: PauseReason | null;
  settings: CampaignSettings;
  createdAt: string;
  scheduledFor: string | null;
  startedAt: string | null;
  pausedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  enrollmentClosed: boolean;
  nextChunk: number;
  contactCount: number;
  duplicateEntries: number;
  counters: AttemptCounters;
  /** Null until the first charge. */
  currency: string | null;
  lastRevision: number;
};

/** The sums over a campaign's attempts that its statistics read; kept up to date event by event. */
export type AttemptCounters = {
  attempts: number;
  endedAttempts: number;
  answeredAttempts: number;
  answeredBillableSeconds: number;
  attemptMs: number;
  spentMinor: number;
  inFlight: number;
};

export type ContactRow = {
  campaignId: string;
  contactId: string;
  tenantId: string;
  phone: string;
  ordinal: number;
  bucket: ContactBucket;
  skipReason: SkipReason | null;
  outcome: AttemptOutcome | null;
  retryAt: string | null;
  attempts: CampaignAttemptRecord[];
};

const iso = (value: unknown): string => new Date(value as string | Date).toISOString();
const isoOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : iso(value));
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export function zeroCounters(): AttemptCounters {
  return { attempts: 0, endedAttempts: 0, answeredAttempts: 0, answeredBillableSeconds: 0, attemptMs: 0, spentMinor: 0, inFlight: 0 };
}

/**
 * One contact's share of the counters. Money in another currency than the campaign's is left out:
 * a tenant is charged in its account's one currency, so that would be a bug upstream, and a
 * projection that threw on it would stop every read model behind it.
 */
export function countersOf(contact: Pick<ContactRow, 'bucket' | 'attempts'>, currency: string | null): AttemptCounters {
  const counters = zeroCounters();
  for (const record of contact.attempts) {
    counters.attempts += 1;
    if (record.cost && record.cost.currency === currency) counters.spentMinor += record.cost.amountMinor;
    if (record.outcome === null || record.endedAt === null) continue;
    counters.endedAttempts += 1;
    counters.attemptMs += Math.max(0, Date.parse(record.endedAt) - Date.parse(record.startedAt));
    if (record.outcome === 'COMPLETED') {
      counters.answeredAttempts += 1;
      counters.answeredBillableSeconds += record.billableSeconds ?? 0;
    }
  }
  counters.inFlight = contact.bucket === 'inProgress' ? 1 : 0;
  return counters;
}

export function addCounters(total: AttemptCounters, plus: AttemptCounters, minus: AttemptCounters): AttemptCounters {
  const out = { ...total };
  for (const key of Object.keys(out) as (keyof AttemptCounters)[]) out[key] += plus[key] - minus[key];
  return out;
}

const DOMAIN_STATUS = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
} as const satisfies Record<CampaignReadStatus, ExistingCampaign['status']>;

export function domainStatusOf(status: CampaignReadStatus): ExistingCampaign['status'] {
  return DOMAIN_STATUS[status];
}

/** The campaign as the decider would hold it, with the roster given (the read model never loads a whole one). */
export function toDomainCampaign(row: CampaignRow, roster: Roster): ExistingCampaign {
  const life = { campaignId: row.campaignId, tenantId: row.tenantId, settings: row.settings, createdAt: row.createdAt, roster };
  const startedAt = row.startedAt ?? row.createdAt;
  switch (row.status) {
    case 'draft':
      return { ...life, status: 'Draft' };
    case 'scheduled':
      return { ...life, status: 'Scheduled', startAt: row.scheduledFor ?? row.createdAt };
    case 'running':
      return { ...life, status: 'Running', startedAt };
    case 'paused':
      return { ...life, status: 'Paused', startedAt, reason: row.pauseReason ?? 'user', pausedAt: row.pausedAt ?? startedAt };
    case 'completed':
      return { ...life, status: 'Completed', completedAt: row.completedAt ?? row.createdAt };
    case 'cancelled':
      return { ...life, status: 'Cancelled', cancelledAt: row.cancelledAt ?? row.createdAt };
  }
}

/**
 * The row after a lifecycle change. The domain forgets when a finished campaign started (it has
 * no use for it); the read model keeps it, and keeps the start date it was scheduled for.
 */
export function withLifecycle(row: CampaignRow, state: ExistingCampaign): CampaignRow {
  return {
    ...row,
    status: state.status.toLowerCase() as CampaignReadStatus,
    pauseReason: state.status === 'Paused' ? state.reason : null,
    pausedAt: state.status === 'Paused' ? state.pausedAt : null,
    scheduledFor: state.status === 'Scheduled' ? state.startAt : row.scheduledFor,
    startedAt: 'startedAt' in state ? state.startedAt : row.startedAt,
    completedAt: state.status === 'Completed' ? state.completedAt : row.completedAt,
    cancelledAt: state.status === 'Cancelled' ? state.cancelledAt : row.cancelledAt,
  };
}

/** The contact as the decider's roster holds it. Zones are not kept here: the read model never dials. */
export function toDomainContact(row: ContactRow): ContactProgress {
  const attempts: AttemptRecord[] = row.attempts.map((record) => ({
    attempt: record.attempt,
    callId: record.callId,
    startedAt: record.startedAt,
    ended: record.outcome === null ? null : { outcome: record.outcome, billableSeconds: record.billableSeconds ?? 0, endedAt: record.endedAt ?? record.startedAt },
    cost: record.cost,
  }));
  const base = { contactId: row.contactId, phone: row.phone, zones: [], attempts };
  switch (row.bucket) {
    case 'pending':
      return { ...base, status: 'pending' };
    case 'inProgress': {
      const live = attempts.at(-1);
      return live ? { ...base, status: 'dialing', attempt: live.attempt, callId: live.callId, since: live.startedAt } : { ...base, status: 'pending' };
    }
    case 'retryScheduled':
      return { ...base, status: 'retry_scheduled', retryAt: row.retryAt ?? '' };
    case 'skipped':
      return { ...base, status: 'skipped', reason: row.skipReason ?? 'invalid_number' };
    default:
      return { ...base, status: 'done', outcome: row.outcome ?? 'FAILED' };
  }
}

export function withContactProgress(row: ContactRow, contact: ContactProgress): ContactRow {
  return {
    ...row,
    bucket: contactBucket(contact),
    skipReason: contact.status === 'skipped' ? contact.reason : null,
    outcome: contact.status === 'done' ? contact.outcome : null,
    retryAt: contact.status === 'retry_scheduled' ? contact.retryAt : null,
    attempts: contact.attempts.map((record) => ({
      attempt: record.attempt,
      callId: record.callId,
      startedAt: record.startedAt,
      outcome: record.ended?.outcome ?? null,
      billableSeconds: record.ended?.billableSeconds ?? null,
      endedAt: record.ended?.endedAt ?? null,
      cost: record.cost,
    })),
  };
}

export function campaignToColumns(row: CampaignRow): Record<string, unknown> {
  const { counters } = row;
  return {
    campaign_id: row.campaignId,
    tenant_id: row.tenantId,
    name: row.name,
    status: row.status,
    pause_reason: row.pauseReason,
    settings: JSON.stringify(row.settings),
    created_at: row.createdAt,
    scheduled_for: row.scheduledFor,
    started_at: row.startedAt,
    paused_at: row.pausedAt,
    completed_at: row.completedAt,
    cancelled_at: row.cancelledAt,
    enrollment_closed: row.enrollmentClosed,
    next_chunk: row.nextChunk,
    contact_count: row.contactCount,
    duplicate_entries: row.duplicateEntries,
    attempts: counters.attempts,
    ended_attempts: counters.endedAttempts,
    answered_attempts: counters.answeredAttempts,
    answered_billable_seconds: counters.answeredBillableSeconds,
    attempt_ms: counters.attemptMs,
    spent_minor: counters.spentMinor,
    currency: row.currency,
    in_flight: counters.inFlight,
    last_revision: row.lastRevision,
  };
}

export function campaignFromColumns(row: Record<string, unknown>): CampaignRow {
  return {
    campaignId: row.campaign_id as string,
    tenantId: row.tenant_id as string,
    name: row.name as string,
    status: row.status as CampaignReadStatus,
    pauseReason: (row.pause_reason as PauseReason | null) ?? null,
    settings: json<CampaignSettings>(row.settings),
    createdAt: iso(row.created_at),
    scheduledFor: isoOrNull(row.scheduled_for),
    startedAt: isoOrNull(row.started_at),
    pausedAt: isoOrNull(row.paused_at),
    completedAt: isoOrNull(row.completed_at),
    cancelledAt: isoOrNull(row.cancelled_at),
    enrollmentClosed: Boolean(row.enrollment_closed),
    nextChunk: Number(row.next_chunk),
    contactCount: Number(row.contact_count),
    duplicateEntries: Number(row.duplicate_entries),
    counters: {
      attempts: Number(row.attempts),
      endedAttempts: Number(row.ended_attempts),
      answeredAttempts: Number(row.answered_attempts),
      answeredBillableSeconds: Number(row.answered_billable_seconds),
      attemptMs: Number(row.attempt_ms),
      spentMinor: Number(row.spent_minor),
      inFlight: Number(row.in_flight),
    },
    currency: (row.currency as string | null) ?? null,
    lastRevision: Number(row.last_revision),
  };
}

export function contactToColumns(row: ContactRow): Record<string, unknown> {
  return {
    campaign_id: row.campaignId,
    contact_id: row.contactId,
    tenant_id: row.tenantId,
    phone: row.phone,
    ordinal: row.ordinal,
    bucket: row.bucket,
    skip_reason: row.skipReason,
    outcome: row.outcome,
    retry_at: row.retryAt,
    attempts: JSON.stringify(row.attempts),
  };
}

export function contactFromColumns(row: Record<string, unknown>): ContactRow {
  return {
    campaignId: row.campaign_id as string,
    contactId: row.contact_id as string,
    tenantId: row.tenant_id as string,
    phone: row.phone as string,
    ordinal: Number(row.ordinal),
    bucket: row.bucket as ContactBucket,
    skipReason: (row.skip_reason as SkipReason | null) ?? null,
    outcome: (row.outcome as AttemptOutcome | null) ?? null,
    retryAt: isoOrNull(row.retry_at),
    attempts: json<CampaignAttemptRecord[]>(row.attempts),
  };
}

export function contactRecordOf(row: ContactRow): CampaignContactRecord {
  return {
    contactId: row.contactId,
    phone: row.phone,
    state: row.bucket,
    skipReason: row.skipReason,
    outcome: row.outcome,
    retryAt: row.retryAt,
    attempts: row.attempts,
  };
}
