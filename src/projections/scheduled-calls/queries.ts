import type { Kysely } from 'kysely';
import type { CallRow } from '../calls/types.ts';
import { SCHEDULED_CALLS } from './projection.ts';

export type DueScheduledCall = { callId: string; tenantId: string; notBefore: string };

const iso = (value: unknown): string => new Date(value as string | Date).toISOString();

/** Public statuses of a call that has not been placed (yet, or ever). */
const STATUS: Readonly<Record<string, string>> = {
  scheduled: 'SCHEDULED',
  released: 'SCHEDULED',
  cancelled: 'CANCELLED',
  refused: 'FAILED',
};

export class ScheduledCallQueries {
  constructor(private readonly db: Kysely<any>) {}

  /** Waiting calls whose time has come, oldest first; released ones too, in case their placement never finished. */
  async due(now: Date, limit = 100): Promise<DueScheduledCall[]> {
    const rows = await this.db
      .selectFrom(SCHEDULED_CALLS)
      .select(['call_id', 'tenant_id', 'not_before'])
      .where('status', 'in', ['scheduled', 'released'])
      .where('not_before', '<=', now.toISOString())
      .orderBy('not_before')
      .orderBy('call_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ callId: row.call_id, tenantId: row.tenant_id, notBefore: iso(row.not_before) }));
  }

  /**
   * A scheduled call that is not a call yet, shaped as a call row (status SCHEDULED, CANCELLED or
   * FAILED), so GET /calls/:id answers for it; null once it was placed (the call row says more).
   */
  async get(tenantId: string, callId: string): Promise<(CallRow & { scheduledFor: string }) | null> {
    const row = await this.db
      .selectFrom(SCHEDULED_CALLS)
      .selectAll()
      .where('call_id', '=', callId)
      .where('tenant_id', '=', tenantId)
      .where('status', '!=', 'placed')
      .executeTakeFirst();
    if (!row) return null;
    return {
      callId: row.call_id,
      tenantId: row.tenant_id,
      status: STATUS[row.status] ?? 'SCHEDULED',
      to: row.to_number,
      from: row.from_number ?? null,
      audioId: row.audio_id ?? null,
      record: Boolean(row.record),
      campaignId: null,
      requestedAt: iso(row.scheduled_at),
      dialingAt: null,
      ringingAt: null,
      answeredAt: null,
      endedAt: row.ended_at ? iso(row.ended_at) : null,
      billableMs: row.ended_at ? 0 : null,
      cause: null,
      causeText: null,
      reason: row.reason ?? null,
      retryable: row.ended_at ? false : null,
      lastRevision: row.last_revision,
      updatedAt: iso(row.updated_at),
      mode: row.mode === 'test' ? 'test' : 'live',
      scheduledFor: iso(row.not_before),
    };
  }
}
