import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import type { EventStore } from '../../src/adapters/eventstore/port.ts';
import { createPostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import { DncService, type DncCaller, type DncOwner } from '../../src/commands/dnc/dnc-service.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import type { GlobalPosition } from '../../src/domain/shared/messages.ts';
import { dncStream, operatorDncStream } from '../../src/domain/shared/streams.ts';
import { schemaChecksums } from '../../src/projections/checksum.ts';
import { dncProjection } from '../../src/projections/dnc/projection.ts';
import { DncQueries } from '../../src/projections/dnc/queries.ts';
import { currentSchema } from '../../src/projections/replay/fresh-schema.ts';
import { replay } from '../../src/projections/replay/replay.ts';
import { ProjectionRunner } from '../../src/projections/runner.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * The do-not-call lists against real databases: an import is batched (one event per chunk), the
 * read model answers a tenant from its own list and the operator's and never another tenant's,
 * a removal takes the row away, and a rebuild from the log gives the same rows.
 */

const TABLES = ['dnc_entries', 'dnc_lists'];
const ROWS = 12_000;
const SETTINGS = { csv: { maxBytes: 10 * 1024 * 1024, maxRows: 50_000, maxErrors: 10 }, chunkRows: 5000, chunkBytes: 512 * 1024, operatorCountry: 'PK' };
const accounts = { settingsOf: async () => ({ defaultCountry: 'PK', maxCallDurationSeconds: null }) };
const pk = (n: number) => `+92300${(1_000_000 + n).toString()}`;

for (const backend of testDatabases()) {
  describe(`do-not-call read model on ${backend.name}`, () => {
    let database: Database;
    let store: EventStore;
    let runner: ProjectionRunner;
    let service: DncService;
    let queries: DncQueries;
    const tenantA = crypto.randomUUID();
    const tenantB = crypto.randomUUID();
    const caller = (owner: DncOwner): DncCaller => ({ owner, actor: 'user:test', correlationId: crypto.randomUUID(), requestId: crypto.randomUUID() });
    const asA = caller({ scope: 'tenant', tenantId: tenantA });
    const asB = caller({ scope: 'tenant', tenantId: tenantB });
    const asOperator = caller({ scope: 'operator' });
    const settle = (position: GlobalPosition | null) => (position ? runner.waitFor(position, 60_000) : Promise.resolve());

    beforeAll(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      queries = new DncQueries(database.db);
      service = new DncService(store, systemClock, accounts, async (phone) => (await queries.entryOn(null, phone)) !== null, SETTINGS);
      runner = new ProjectionRunner(database.db, store, dncProjection, { liveBatchMs: 5 });
      await runner.start();
    });
    afterAll(async () => {
      await runner?.stop();
      await store?.close();
      await database?.close();
    });

    it('imports a large file as one event per chunk, and the repeats of a second import change nothing', async () => {
      const csv = ['phone,reason', ...Array.from({ length: ROWS }, (_, n) => `0300${(1_000_000 + n).toString()},${n % 2 === 0 ? 'complaint' : ''}`)].join('\n');
      const first = await service.importCsv(asOperator, Buffer.from(csv), 'operator list');
      expect(first).toMatchObject({ imported: ROWS, duplicatesExisting: 0, rejected: 0 });
      const events = await store.readStream(operatorDncStream());
      expect(events).toHaveLength(Math.ceil(ROWS / SETTINGS.chunkRows));
      expect(events.every((event) => event.type === 'DncEntriesImported' && event.metadata.tenantId === 'operator')).toBe(true);

      const again = await service.importCsv(asOperator, Buffer.from(csv), null);
      expect(again).toMatchObject({ imported: 0, duplicatesExisting: ROWS, position: null });
      expect(await store.readStream(operatorDncStream())).toHaveLength(events.length);
      await settle(first.position);
      const entries = await queries.listOperator({ page: 1, perPage: 1 });
      expect(entries.total).toBe(ROWS);
      expect(await queries.entryOn(null, pk(0))).toMatchObject({ scope: 'operator', reason: 'complaint', source: 'import' });
      expect(await queries.entryOn(null, pk(1))).toMatchObject({ reason: 'operator list' });
    }, 120_000);

    it('answers a tenant from its own list and the operator’s, the operator’s first, never from another tenant’s', async () => {
      const own = await service.add(asA, { phone: '0333 1234567', reason: 'asked' });
      expect(own.phone).toBe('+923331234567');
      const both = await service.add(asA, { phone: pk(5), reason: 'mine too' });
      const others = await service.add(asB, { phone: '03451234567', reason: 'B only' });
      await settle(others.position ?? both.position ?? own.position);

      expect(await queries.check(tenantA, '+923331234567')).toMatchObject({ scope: 'tenant', reason: 'asked', source: 'api' });
      expect(await queries.check(tenantA, pk(5))).toMatchObject({ scope: 'operator' });
      expect(await queries.check(tenantA, '+923451234567')).toBeNull();
      expect(await queries.check(tenantB, '+923331234567')).toBeNull();
      expect(await queries.check(tenantB, pk(7))).toMatchObject({ scope: 'operator' });

      const among = await queries.listedAmong(tenantA, ['+923331234567', '+923451234567', pk(3), '+923009999999', pk(3)]);
      expect([...among].sort()).toEqual([pk(3), '+923331234567'].sort());

      const listed = await queries.list(tenantA, { page: 1, perPage: 10 });
      expect(listed.total).toBe(2);
      expect(listed.rows.map((row) => [row.phone, row.operatorListed]).sort()).toEqual([[pk(5), true], ['+923331234567', false]].sort());
      expect((await queries.list(tenantB, { page: 1, perPage: 10 })).rows.map((row) => row.phone)).toEqual(['+923451234567']);
    });

    it('removes with an event that keeps the history; a tenant cannot remove the operator’s entry (403) or an unlisted number (404)', async () => {
      const removed = await service.remove(asA, { phone: '+923331234567', reason: 'consented again' });
      await settle(removed.position);
      expect(await queries.check(tenantA, '+923331234567')).toBeNull();
      const history = (await store.readStream(dncStream(tenantA))).map((event) => event.type);
      expect(history).toEqual(['DncEntryAdded', 'DncEntryAdded', 'DncEntryRemoved']);

      await expect(service.remove(asA, { phone: '+923331234567', reason: null })).rejects.toMatchObject({ code: 'DNC_ENTRY_NOT_FOUND' });
      await expect(service.remove(asB, { phone: pk(9), reason: null })).rejects.toMatchObject({ code: 'DNC_ENTRY_OPERATOR_WIDE' });
      // A's own entry for the same number is no concern of B's: B hears of the operator's entry only.
      await expect(service.remove(asB, { phone: pk(5), reason: null })).rejects.toMatchObject({ code: 'DNC_ENTRY_OPERATOR_WIDE' });
      await expect(service.remove(asB, { phone: '+923331234568', reason: null })).rejects.toMatchObject({ code: 'DNC_ENTRY_NOT_FOUND' });
      const operatorRemoved = await service.remove(asOperator, { phone: pk(9), reason: 'listed by mistake' });
      await settle(operatorRemoved.position);
      expect(await queries.check(tenantB, pk(9))).toBeNull();
    });

    it('rebuilds the same rows from the log', async () => {
      const db = database.db;
      const live = await currentSchema(db);
      const before = await schemaChecksums(db, live, TABLES);
      expect(before.dnc_entries!.rows).toBe(ROWS - 1 + 2);
      const result = await replay({ db, store, projections: [dncProjection], now: new Date('2026-11-23T12:00:00Z'), batchSize: 7 });
      expect(result.swapped).toBe(true);
      expect(await schemaChecksums(db, live, TABLES)).toEqual(before);
    }, 120_000);
  });
}
