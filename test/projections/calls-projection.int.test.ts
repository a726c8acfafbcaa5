import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWholeLog } from '../support/whole-log.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../src/adapters/db/database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import type { GlobalPosition, RecordedEvent } from '../../src/domain/shared/messages.ts';
import { callStream } from '../../src/domain/shared/streams.ts';
import { foldCallRow } from '../../src/projections/calls/fold.ts';
import { callsProjection } from '../../src/projections/calls/projection.ts';
import { CallQueries } from '../../src/projections/calls/queries.ts';
import type { CallRow } from '../../src/projections/calls/types.ts';
import type { Projection } from '../../src/projections/projection.ts';
import { ProjectionRunner } from '../../src/projections/runner.ts';
import { callStreamEvents } from '../support/call-events.ts';
import { testDatabases } from '../support/databases.ts';

const CALLS = 240;

for (const backend of testDatabases()) {
  describe(`calls projection on ${backend.name}`, () => {
    let database: Database;
    let store: PostgresEventStore;
    let last: GlobalPosition;

    beforeEach(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      last = await seed(store, 0, CALLS);
    });

    afterEach(async () => {
      await store.close();
      await database.close();
    });

    it('resumes after a crash mid-batch with no row missing or doubled', async () => {
      // given a runner whose 4th transaction dies after writing, as a killed process would
      let batches = 0;
      let crashed!: () => void;
      const didCrash = new Promise<void>((resolve) => (crashed = resolve));
      const crashing: Projection = {
        ...callsProjection,
        async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
          await callsProjection.apply(trx, events);
          if (++batches === 4) throw new Error('simulated crash inside the transaction');
        },
      };
      const first = new ProjectionRunner(database.db, store, crashing, { batchSize: 50, onError: () => crashed() });
      await first.start();
      await didCrash;
      await first.stop();
      const partial = await countRows(database.db);
      expect(partial.calls).toBeGreaterThan(0);
      expect(partial.calls).toBeLessThan(CALLS);

      // and more calls arrive while it is down
      last = await seed(store, CALLS, 20);

      // when a fresh runner starts on the same database
      const second = new ProjectionRunner(database.db, store, callsProjection, { batchSize: 50 });
      await second.start();
      await second.waitFor(last);
      await second.stop();

      // then every call is there exactly once, equal to a pure fold of the log
      const all = await readWholeLog(store);
      expect(await readRows(database.db)).toEqual(expectedRows(all));
      const counts = await countRows(database.db);
      expect(counts.timeline).toBe(all.length);
      expect(counts.calls).toBe(CALLS + 20);
    });

    it('rebuild drops the read model, replays the log and ends with the same rows', async () => {
      const runner = new ProjectionRunner(database.db, store, callsProjection, { batchSize: 100 });
      await runner.start();
      await runner.waitFor(last);
      const before = await readRows(database.db);
      const timelineBefore = await readTimeline(database.db);

      await database.db.updateTable('calls').set({ status: 'CORRUPTED' }).execute();
      await runner.rebuild();
      await runner.waitFor(last);
      await runner.stop();

      expect(await readRows(database.db)).toEqual(before);
      expect(await readTimeline(database.db)).toEqual(timelineBefore);
      expect(before).toEqual(expectedRows(await readWholeLog(store)));
    });

    it('follows live appends after catching up', async () => {
      const runner = new ProjectionRunner(database.db, store, callsProjection);
      await runner.start();
      await runner.waitFor(last);
      const more = await seed(store, CALLS, 3);
      await runner.waitFor(more);
      await runner.stop();
      const queries = new CallQueries(database.db);
      const newest = await queries.list('tenant-a', { page: 1, perPage: 3, status: null });
      expect(newest.total).toBe(CALLS + 3);
      expect(newest.rows.map((r) => r.to)).toEqual(
        [CALLS + 2, CALLS + 1, CALLS].map((i) => callStreamEvents(i).events[0]!.data.to),
      );
    });

    it('applying an already-applied batch again changes nothing', async () => {
      const events = await readWholeLog(store);
      await callsProjection.migrate(database.db);
      await database.db.transaction().execute((trx) => callsProjection.apply(trx, events));
      const once = await readRows(database.db);
      await database.db.transaction().execute((trx) => callsProjection.apply(trx, events.slice(0, 100)));
      expect(await readRows(database.db)).toEqual(once);
      expect((await countRows(database.db)).timeline).toBe(events.length);
    });
  });
}

async function seed(store: PostgresEventStore, from: number, count: number): Promise<GlobalPosition> {
  let position: GlobalPosition | undefined;
  for (let i = from; i < from + count; i++) {
    const { callId, events } = callStreamEvents(i);
    ({ position } = await store.append(callStream(callId), events, 'no_stream'));
  }
  return position!;
}


function expectedRows(events: readonly RecordedEvent[]): CallRow[] {
  const rows = new Map<string, CallRow | null>();
  for (const event of events) {
    const id = (event.data as { callId: string }).callId;
    rows.set(id, foldCallRow(rows.get(id) ?? null, event));
  }
  return [...rows.values()]
    .filter((row): row is CallRow => row !== null)
    .sort((a, b) => a.callId.localeCompare(b.callId));
}

async function readRows(db: Kysely<any>): Promise<CallRow[]> {
  const queries = new CallQueries(db);
  const { rows } = await queries.list('tenant-a', { page: 1, perPage: 10_000, status: null });
  return rows.sort((a, b) => a.callId.localeCompare(b.callId));
}

async function readTimeline(db: Kysely<any>): Promise<unknown[]> {
  return db.selectFrom('call_timeline').selectAll().orderBy('call_id').orderBy('revision').execute();
}

async function countRows(db: Kysely<any>): Promise<{ calls: number; timeline: number }> {
  const calls = await db.selectFrom('calls').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const timeline = await db.selectFrom('call_timeline').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { calls: Number(calls.n), timeline: Number(timeline.n) };
}
