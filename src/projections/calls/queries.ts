import type { Kysely } from 'kysely';
import { callRowFromColumns, iso as isoOf, timelineFromColumns } from './rows.ts';
import type { CallRow, CallTimelineEntry } from './types.ts';

/** Filters of the calls list; null means "any". `to` is exclusive; `phone` is "+digits" (a prefix) or digits (anywhere). */
export type CallListQuery = {
  page: number;
  perPage: number;
  status: string | null;
  from?: string | null;
  to?: string | null;
  campaignId?: string | null;
  phone?: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the HTTP layer reads about calls. Every query is scoped by tenant. */
export class CallQueries {
  constructor(private readonly db: Kysely<any>) {}

  async list(tenantId: string, query: CallListQuery): Promise<{ rows: CallRow[]; total: number }> {
    let base = this.db.selectFrom('calls').where('tenant_id', '=', tenantId);
    if (query.status) base = base.where('status', '=', query.status);
    if (query.from) base = base.where('requested_at', '>=', query.from);
    if (query.to) base = base.where('requested_at', '<', query.to);
    if (query.campaignId) base = base.where('campaign_id', '=', query.campaignId);
    // The filter is digits (and a leading "+") only, so it holds no LIKE wildcard to escape.
    if (query.phone) base = base.where('to_number', 'like', query.phone.startsWith('+') ? `${query.phone}%` : `%${query.phone}%`);
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('requested_at', 'desc')
        .orderBy('call_id', 'desc')
        .limit(query.perPage)
        .offset((query.page - 1) * query.perPage)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(callRowFromColumns), total: Number(count.total) };
  }

  async get(tenantId: string, callId: string): Promise<{ call: CallRow; timeline: CallTimelineEntry[] } | null> {
    if (!UUID.test(callId)) return null;
    const row = await this.db
      .selectFrom('calls')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('call_id', '=', callId)
      .executeTakeFirst();
    if (!row) return null;
    const timeline = await this.db
      .selectFrom('call_timeline')
      .selectAll()
      .where('call_id', '=', callId)
      .orderBy('revision')
      .execute();
    return { call: callRowFromColumns(row), timeline: timeline.map(timelineFromColumns) };
  }

  /** Recordings of a call, from its timeline; null when the call is not this tenant's. */
  async recordings(
    tenantId: string,
    callId: string,
  ): Promise<Array<{ name: string; format: string; durationSeconds: number; storedAt: string }> | null> {
    const found = await this.get(tenantId, callId);
    if (!found) return null;
    return found.timeline
      .filter((entry) => entry.type === 'RecordingStored')
      .map((entry) => {
        const data = entry.data as { name: string; format: string; durationSeconds: number; at: string };
        return { name: data.name, format: data.format, durationSeconds: data.durationSeconds, storedAt: data.at };
      });
  }

  /** Calls the telephony adapter should still have a channel for (used to reconcile after restarts). */
  async inFlight(): Promise<
    Array<{ callId: string; tenantId: string; mode: 'live' | 'test'; answered: boolean; lastSeenAt: string | null }>
  > {
    const rows = await this.db
      .selectFrom('calls')
      .select(['call_id', 'tenant_id', 'mode', 'status', 'updated_at'])
      .where('status', 'in', ['DIALING', 'RINGING', 'ANSWERED'])
      .execute();
    return rows.map((r) => ({
      callId: r.call_id,
      tenantId: r.tenant_id,
      mode: r.mode === 'test' ? 'test' : 'live',
      answered: r.status === 'ANSWERED',
      // The row's time is its last event's: the latest fact the log holds about the call.
      lastSeenAt: r.status === 'ANSWERED' ? isoOf(r.updated_at) : null,
    }));
  }
}
