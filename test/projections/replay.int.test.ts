/**
 * `replay`: rebuilding read models into fresh tables and swapping them in while the API reads and
 * the live projections keep running; and replaying up to a point in the past into a separate schema.
 * Equality is proven row by row with tableChecksum.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import type { GlobalPosition } from '../../src/domain/shared/messages.ts';
import { schemaChecksums, tableChecksum } from '../../src/projections/checksum.ts';
import { CallQueries } from '../../src/projections/calls/queries.ts';
import { readModelProjections } from '../../src/projections/registry.ts';
import { currentSchema, schemaExists, tablesIn } from '../../src/projections/replay/fresh-schema.ts';
import { replay, type ReplayProgress } from '../../src/projections/replay/replay.ts';
import { ProjectionRunner } from '../../src/projections/runner.ts';
import { callStreamEvents, uuidFor } from '../support/call-events.ts';
import { testDatabases } from '../support/databases.ts';

/** Read-model tables in the live schema: everything but the event store's and the checkpoints. */
let READ_MODEL_TABLES: string[] = [];
const NOW = new Date('2026-11-23T12:00:00Z');

async function seed(store: PostgresEventStore, from: number, to: number): Promise<GlobalPosition> {
  let last: GlobalPosition | undefined;
  for (let index = from; index < to; index++) {
    const { callId, events } = callStreamEvents(index);
    last = (await store.append(`call-${callId}`, events, 'no_stream')).position;
  }
  return last!;
}

async function deadline<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const backend of testDatabases()) {
  describe(`replay on ${backend.name}`, () => {
    let database: Database;
    let store: PostgresEventStore;
    let runners: ProjectionRunner[];
    let live: string;
    let lastSeeded: GlobalPosition;

    beforeAll(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      lastSeeded = await seed(store, 0, 240);
      runners = readModelProjections.map((projection) => new ProjectionRunner(database.db, store, projection, { liveBatchMs: 5 }));
      for (const runner of runners) await runner.start();
      await Promise.all(runners.map((runner) => runner.waitFor(lastSeeded)));
      live = await currentSchema(database.db);
      READ_MODEL_TABLES = (await tablesIn(database.db, live)).filter((table) => !table.startsWith('es_') && table !== 'checkpoints');
      expect(READ_MODEL_TABLES).toEqual(expect.arrayContaining(['accounts', 'api_keys', 'call_timeline', 'calls']));
    });
    afterAll(async () => {
      for (const runner of runners ?? []) await runner.stop();
      await store?.close();
      await database?.close();
    });

    it('rebuilds into fresh tables and swaps them in: row-by-row checksums equal the live read models', async () => {
      const before = await schemaChecksums(database.db, live, READ_MODEL_TABLES);
      expect(before.calls!.rows).toBe(240);
      const oldOid = await tableOid(database, 'calls');
      const phases = new Set<ReplayProgress['phase']>();

      const result = await replay({
        db: database.db, store, projections: readModelProjections, now: NOW, batchSize: 97,
        onProgress: (progress) => phases.add(progress.phase),
      });

      expect(result).toMatchObject({ swapped: true, stoppedAt: 'end', position: lastSeeded });
      expect(result.events).toBe(Array.from({ length: 240 }, (_, i) => callStreamEvents(i).events.length).reduce((a, b) => a + b, 0));
      expect([...result.tables].sort()).toEqual(READ_MODEL_TABLES);
      expect(await tableOid(database, 'calls')).not.toBe(oldOid); // really new tables…
      expect(await schemaChecksums(database.db, live, READ_MODEL_TABLES)).toEqual(before); // …with the same rows
      expect([...phases]).toEqual(['replaying', 'catching-up', 'swapping', 'done']);
      expect(await schemaExists(database.db, result.schema)).toBe(false); // nothing left behind
      expect(await schemaExists(database.db, `${result.schema}_old`)).toBe(false);
    });

    it('keeps the API reading and the live projection writing during a rebuild, and loses no event', async () => {
      const queries = new CallQueries(database.db);
      const failures: string[] = [];
      let reads = 0;
      let reading = true;
      const reader = (async () => {
        while (reading) {
          const found = await queries.get('tenant-a', uuidFor(7)).catch((error: unknown) => (failures.push(String(error)), null));
          if (found?.call.callId !== uuidFor(7)) failures.push('call 7 was not found');
          const page = await queries.list('tenant-a', { page: 1, perPage: 5, status: null });
          if (page.total < 240) failures.push(`list saw ${page.total} calls`);
          reads += 1;
          // PGlite answers through microtasks alone; let timers run as requests arriving over HTTP would.
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      // New calls keep arriving while the rebuild runs; the live runner applies them as usual.
      let writing = true;
      let nextCall = 240;
      const writer = (async () => {
        while (writing && nextCall < 400) {
          await seed(store, nextCall, nextCall + 4);
          nextCall += 4;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();

      await replay({ db: database.db, store, projections: readModelProjections, now: NOW, batchSize: 50 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      writing = false;
      await writer;
      const extra = await seed(store, 400, 404); // after the swap: still projected into the new tables
      reading = false;
      await reader;

      expect(failures).toEqual([]);
      expect(reads).toBeGreaterThan(0);
      await Promise.all(runners.map((runner) => runner.waitFor(extra)));
      const count = await deadline('every call in the swapped-in table', async () => {
        const { total } = await queries.list('tenant-a', { page: 1, perPage: 1, status: null });
        return total === nextCall + 4 ? total : undefined;
      });
      expect(count).toBe(nextCall + 4);

      // The live tables (rebuilt once, then fed live) equal a from-scratch replay of the whole log.
      const check = await replay({ db: database.db, store, projections: readModelProjections, now: NOW, until: { position: extra }, schema: 'replay_check' });
      expect(check.position).toEqual(extra);
      expect(await schemaChecksums(database.db, 'replay_check', READ_MODEL_TABLES)).toEqual(
        await schemaChecksums(database.db, live, READ_MODEL_TABLES),
      );
      await sql`drop schema replay_check cascade`.execute(database.db);
    });

    it('replays up to a time into a separate schema and leaves the live tables untouched', async () => {
      const before = await schemaChecksums(database.db, live, [...READ_MODEL_TABLES, 'checkpoints']);
      const until = new Date('2026-03-01T09:01:30.000Z');
      // unique per run: the Postgres test database is shared by runs in parallel
      const dispute = `dispute_${Math.random().toString(36).slice(2, 10)}`;

      const result = await replay({ db: database.db, store, projections: readModelProjections, now: NOW, until: { time: until }, schema: dispute });

      expect(result).toMatchObject({ swapped: false, stoppedAt: 'time', schema: dispute });
      expect(await schemaChecksums(database.db, live, [...READ_MODEL_TABLES, 'checkpoints'])).toEqual(before);
      // Exactly the events that come, in log order, before the first one later than the stop time.
      const log = await store.readAll({ maxCount: 100_000 });
      const expected = log.findIndex((event) => Date.parse(event.metadata.occurredAt) > until.getTime());
      expect(expected).toBeGreaterThan(0);
      expect(result.events).toBe(expected);
      const timeline = await tableChecksum(database.db, dispute, 'call_timeline');
      expect(timeline.rows).toBe(expected);
      const { rows } = await sql<{ latest: Date }>`select max(occurred_at) as latest from ${sql.id(dispute)}.call_timeline`.execute(database.db);
      expect(new Date(rows[0]!.latest).getTime()).toBeLessThanOrEqual(until.getTime());
      expect(await tablesIn(database.db, dispute)).toEqual([...READ_MODEL_TABLES, 'checkpoints'].sort());
      await sql`drop schema ${sql.id(dispute)} cascade`.execute(database.db);
    });

    it('replays up to a log position, refuses a schema that exists, and leaves nothing behind on failure', async () => {
      const log = await store.readAll({ maxCount: 10 });
      const result = await replay({ db: database.db, store, projections: readModelProjections, now: NOW, until: { position: log[9]!.position } });
      expect(result).toMatchObject({ events: 10, position: log[9]!.position, stoppedAt: 'position' });
      expect(result.schema).toMatch(/^calltrail_replay_20261123120000_/);

      await expect(replay({ db: database.db, store, projections: readModelProjections, now: NOW, until: { position: log[9]!.position }, schema: result.schema }))
        .rejects.toThrow(/already exists/);
      await expect(replay({ db: database.db, store, projections: readModelProjections, now: NOW, schema: live })).rejects.toThrow(/live schema/);
      await expect(replay({ db: database.db, store, projections: readModelProjections, now: NOW, schema: 'Bad-Name' })).rejects.toThrow(/schema name/);

      const failing = { ...readModelProjections[0]!, apply: async () => { throw new Error('projection bug'); } };
      await expect(replay({ db: database.db, store, projections: [failing], now: NOW, schema: 'doomed' })).rejects.toThrow('projection bug');
      expect(await schemaExists(database.db, 'doomed')).toBe(false);
      await sql`drop schema ${sql.id(result.schema)} cascade`.execute(database.db);
    });
  });
}

async function tableOid(database: Database, table: string): Promise<string> {
  const { rows } = await sql<{ oid: string }>`select ${table}::regclass::oid::text as oid`.execute(database.db);
  return rows[0]!.oid;
}
