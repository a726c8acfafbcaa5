import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { CallQueries, type CallListQuery } from '../../src/projections/calls/queries.ts';
import { callRowToColumns } from '../../src/projections/calls/rows.ts';
import { migrateCallsReadModel } from '../../src/projections/calls/schema.ts';
import type { CallRow } from '../../src/projections/calls/types.ts';
import { callRowFixture } from '../support/call-row.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * The calls list's filters against the real read-model table (the console's calls page uses
 * them): created-time range (`to` exclusive), campaign, and the number as a "+" prefix or digits
 * anywhere — each scoped to the tenant.
 */
const TENANT = 'tenant-filters';
const OTHER = 'tenant-other';

function row(index: number, overrides: Partial<CallRow>): CallRow {
  const at = new Date(Date.UTC(2026, 10, 1 + index, 12)).toISOString();
  return callRowFixture({ callId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, tenantId: TENANT, requestedAt: at, status: 'COMPLETED', ...overrides });
}

// Call i is created on 2026-11-(1+i) at noon UTC.
const ROWS: CallRow[] = [
  row(0, { to: '+4915112345678', campaignId: 'camp-1' }),
  row(1, { to: '+4930123456', status: 'BUSY' }),
  row(2, { to: '+14155550100', campaignId: 'camp-1' }),
  row(3, { to: '+923001234567', campaignId: 'camp-2' }),
  row(4, { to: '+4915112345678', tenantId: OTHER, campaignId: 'camp-1' }),
];

const query = (filters: Partial<CallListQuery>): CallListQuery => ({ page: 1, perPage: 50, status: null, from: null, to: null, campaignId: null, phone: null, ...filters });
const idsOf = (rows: CallRow[]) => rows.map((found) => Number(found.callId.slice(-12)));

for (const backend of testDatabases()) {
  describe(`the calls list's filters on ${backend.name}`, () => {
    let database: Database;
    let calls: CallQueries;

    beforeAll(async () => {
      database = await backend.open();
      await migrateCallsReadModel(database.db);
      await database.db.insertInto('calls').values(ROWS.map(callRowToColumns)).execute();
      calls = new CallQueries(database.db);
    });
    afterAll(async () => database?.close());

    it('filters by created time, from inclusive and to exclusive, newest first', async () => {
      const found = await calls.list(TENANT, query({ from: '2026-11-02T12:00:00.000Z', to: '2026-11-04T12:00:00.000Z' }));
      expect(idsOf(found.rows)).toEqual([2, 1]);
      expect(found.total).toBe(2);
    });

    it('filters by campaign, never showing another tenant\'s call of the same campaign id', async () => {
      const found = await calls.list(TENANT, query({ campaignId: 'camp-1' }));
      expect(idsOf(found.rows)).toEqual([2, 0]);
    });

    it('matches a number given with "+" as a prefix, and bare digits anywhere in it', async () => {
      expect(idsOf((await calls.list(TENANT, query({ phone: '+49' }))).rows)).toEqual([1, 0]);
      // "+1234" is not the start of any number, though "1234" appears inside two.
      expect((await calls.list(TENANT, query({ phone: '+1234' }))).total).toBe(0);
      expect(idsOf((await calls.list(TENANT, query({ phone: '1234' }))).rows)).toEqual([3, 1, 0]);
    });

    it('combines filters with each other and with status and paging', async () => {
      expect(idsOf((await calls.list(TENANT, query({ phone: '+49', status: 'BUSY' }))).rows)).toEqual([1]);
      expect(idsOf((await calls.list(TENANT, query({ campaignId: 'camp-1', from: '2026-11-02T00:00:00Z' }))).rows)).toEqual([2]);
      const second = await calls.list(TENANT, query({ phone: '1234', perPage: 2, page: 2 }));
      expect(idsOf(second.rows)).toEqual([0]);
      expect(second.total).toBe(3);
    });

    it('shows the other tenant only its own call', async () => {
      expect(idsOf((await calls.list(OTHER, query({ phone: '+49' }))).rows)).toEqual([4]);
    });
  });
}
