import type { Kysely } from 'kysely';
import type { DncScope, DncSource } from '../../domain/dnc/events.ts';
import { DNC_ENTRIES, OPERATOR_LIST_KEY } from './projection.ts';
import type { DncListing } from './types.ts';

export type DncPage = { readonly page: number; readonly perPage: number };

/** A tenant's own entry, and whether the operator lists the same number (then removing it still leaves it barred). */
export type TenantDncEntry = DncListing & { readonly operatorListed: boolean };

const iso = (value: unknown): string => new Date(value as string | Date).toISOString();

/** Postgres allows 65535 parameters a statement; batches stay well under it. */
const PHONES_PER_QUERY = 5000;

function listingOf(row: Record<string, unknown>): DncListing {
  return {
    phone: row.phone as string,
    scope: row.scope as DncScope,
    reason: (row.reason as string | null) ?? null,
    source: row.source as DncSource,
    callId: (row.call_id as string | null) ?? null,
    addedAt: iso(row.added_at),
  };
}

/**
 * What is read about do-not-call lists. A tenant's reads cover its own list and the operator's,
 * never another tenant's: every query names the tenant's key and the operator's key, nothing else.
 */
export class DncQueries {
  constructor(private readonly db: Kysely<any>) {}

  /** The entry barring `phone` for the tenant: the operator's first (a tenant cannot lift it), else its own. */
  async check(tenantId: string, phone: string): Promise<DncListing | null> {
    const rows = await this.db
      .selectFrom(DNC_ENTRIES)
      .selectAll()
      .where('phone', '=', phone)
      .where('list_key', 'in', [OPERATOR_LIST_KEY, tenantId])
      .execute();
    const chosen = rows.find((row) => row.list_key === OPERATOR_LIST_KEY) ?? rows[0];
    return chosen ? listingOf(chosen) : null;
  }

  /** The entry on one list only: the tenant's own (`tenantId`), or the operator's (null). */
  async entryOn(tenantId: string | null, phone: string): Promise<DncListing | null> {
    const row = await this.db
      .selectFrom(DNC_ENTRIES)
      .selectAll()
      .where('phone', '=', phone)
      .where('list_key', '=', tenantId ?? OPERATOR_LIST_KEY)
      .executeTakeFirst();
    return row ? listingOf(row) : null;
  }

  async listedAmong(tenantId: string, phones: readonly string[]): Promise<Set<string>> {
    const listed = new Set<string>();
    const unique = [...new Set(phones)];
    for (let start = 0; start < unique.length; start += PHONES_PER_QUERY) {
      const batch = unique.slice(start, start + PHONES_PER_QUERY);
      const rows = await this.db
        .selectFrom(DNC_ENTRIES)
        .select('phone')
        .where('phone', 'in', batch)
        .where('list_key', 'in', [OPERATOR_LIST_KEY, tenantId])
        .execute();
      for (const row of rows) listed.add(row.phone as string);
    }
    return listed;
  }

  /** The tenant's own list, newest first, each entry flagged when the operator lists it too. */
  async list(tenantId: string, page: DncPage): Promise<{ rows: TenantDncEntry[]; total: number }> {
    const { rows, total } = await this.page(tenantId, page);
    const alsoOperator = await this.operatorHas(rows.map((row) => row.phone));
    return { rows: rows.map((row) => ({ ...row, operatorListed: alsoOperator.has(row.phone) })), total };
  }

  /** The operator's list, newest first (the operator routes read it). */
  listOperator(page: DncPage): Promise<{ rows: DncListing[]; total: number }> {
    return this.page(OPERATOR_LIST_KEY, page);
  }

  private async operatorHas(phones: readonly string[]): Promise<Set<string>> {
    if (phones.length === 0) return new Set();
    const rows = await this.db.selectFrom(DNC_ENTRIES).select('phone').where('list_key', '=', OPERATOR_LIST_KEY).where('phone', 'in', [...phones]).execute();
    return new Set(rows.map((row) => row.phone as string));
  }

  private async page(listKey: string, page: DncPage): Promise<{ rows: DncListing[]; total: number }> {
    const base = this.db.selectFrom(DNC_ENTRIES).where('list_key', '=', listKey);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('added_at', 'desc').orderBy('phone').limit(page.perPage).offset((page.page - 1) * page.perPage).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(listingOf), total: Number(count.total) };
  }
}
