import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/adapters/db/database.ts';
import { migrateToLatest } from '../../../src/adapters/db/migrations.ts';
import { createPostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { EventStoreUnavailableError } from '../../../src/adapters/eventstore/port.ts';
import type { EventToAppend, RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { testDatabases } from '../../support/databases.ts';

/** The database factory, the migration helper, and how the store wires itself to the database. */
for (const backend of testDatabases()) {
  describe(`database on ${backend.name}`, () => {
    async function using<T>(work: (database: Database) => Promise<T>): Promise<T> {
      const database = await backend.open();
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    }

    it('returns int8 as strings and jsonb as parsed values', () =>
      using(async ({ db }) => {
        const { rows } = await sql<{ big: unknown; doc: unknown }>`select 9007199254740993::int8 as big, '{"a":[1]}'::jsonb as doc`.execute(db);
        expect(rows[0]).toEqual({ big: '9007199254740993', doc: { a: [1] } });
      }));

    it('keeps concurrent transactions apart: a rollback undoes only its own writes', () =>
      using(async ({ db }) => {
        await sql`create table items (name text primary key)`.execute(db);
        const failing = db.transaction().execute(async (trx) => {
          await trx.insertInto('items').values({ name: 'doomed' }).execute();
          await new Promise((resolve) => setImmediate(resolve));
          throw new Error('give up');
        });
        const succeeding = Array.from({ length: 5 }, (_, index) =>
          db.transaction().execute(async (trx) => {
            await trx.insertInto('items').values({ name: `kept-${index}` }).execute();
            await new Promise((resolve) => setImmediate(resolve));
            await trx.insertInto('items').values({ name: `kept-${index}-again` }).execute();
          }),
        );
        const plainReads = Array.from({ length: 5 }, () => db.selectFrom('items').selectAll().execute());
        await expect(failing).rejects.toThrow('give up');
        await Promise.all([...succeeding, ...plainReads]);

        const names = (await db.selectFrom('items').select('name').orderBy('name').execute()).map((row) => row.name);
        expect(names).toHaveLength(10);
        expect(names).not.toContain('doomed');
      }));

    it('delivers NOTIFY to listeners only after commit, and stops after unlisten', () =>
      using(async (database) => {
        const channel = `test_${randomUUID().replaceAll('-', '')}`;
        let heard = 0;
        const unlisten = await database.listen(channel, () => heard++);

        await database.db.transaction().execute(async (trx) => {
          await sql`select pg_notify(${channel}, '')`.execute(trx);
          throw new Error('roll back');
        }).catch(() => {});
        await sql`select pg_notify(${channel}, '')`.execute(database.db);
        await waitUntil(() => heard >= 1);

        await unlisten();
        await sql`select pg_notify(${channel}, '')`.execute(database.db);
        // A fresh listener hearing the next notification shows the old one had its chance.
        let witness = 0;
        await database.listen(channel, () => witness++);
        await sql`select pg_notify(${channel}, '')`.execute(database.db);
        await waitUntil(() => witness >= 1);
        expect(heard).toBe(1);
      }));

    it('runs each component’s migrations once, with bookkeeping in its own table', () =>
      using(async ({ db }) => {
        let runs = 0;
        const migrations = {
          '0001_create_widgets': {
            async up(migrating: Kysely<any>) {
              runs++;
              await migrating.schema.createTable('widgets').addColumn('id', 'text').execute();
            },
          },
        };
        await migrateToLatest(db, { migrations, tableName: 'widgets_migrations' });
        await migrateToLatest(db, { migrations, tableName: 'widgets_migrations' });
        expect(runs).toBe(1);
        const recorded = await db.selectFrom('widgets_migrations').select('name').execute();
        expect(recorded.map((row) => row.name)).toEqual(['0001_create_widgets']);
      }));

    it('wakes a subscriber on another store instance through NOTIFY, without waiting for a poll', () =>
      using(async (database) => {
        const writer = await createPostgresEventStore(database);
        const reader = await createPostgresEventStore(database, { pollIntervalMs: 600_000 });
        const received: RecordedEvent[] = [];
        await writer.append('notify-0', [anEvent()], 'no_stream');
        const subscription = reader.subscribe().subscribe((event) => received.push(event));
        try {
          // Once history has arrived the reader is asleep, and only a notification can wake it.
          await waitUntil(() => received.length === 1);
          await writer.append('notify-1', [anEvent()], 'no_stream');
          await waitUntil(() => received.length === 2);
          expect(received.map((event) => event.streamName)).toEqual(['notify-0', 'notify-1']);
        } finally {
          subscription.unsubscribe();
          await reader.close();
          await writer.close();
        }
      }));

    it('close() completes open subscriptions, and a closed store reports itself unavailable', () =>
      using(async (database) => {
        const store = await createPostgresEventStore(database);
        let completed = false;
        store.subscribe().subscribe({ complete: () => (completed = true) });
        await store.close();
        expect(completed).toBe(true);
        await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
        await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      }));

    it('ping() maps a lost database to EventStoreUnavailableError', async () => {
      const database = await backend.open();
      const store = await createPostgresEventStore(database);
      await store.ping();
      await database.close();
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await store.close();
    });
  });
}

describe('database on pglite with a data directory', () => {
  it('keeps events across reopening', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'calltrail-pglite-'));
    try {
      const first = await openDatabase({ dataDir });
      const written = await (await createPostgresEventStore(first)).append('persisted-1', [anEvent()], 'no_stream');
      await first.close();

      const second = await openDatabase({ dataDir });
      const store = await createPostgresEventStore(second);
      const [event] = await store.readStream('persisted-1');
      expect(event?.position).toEqual(written.position);
      await store.close();
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function anEvent(): EventToAppend {
  const eventId = randomUUID();
  return {
    type: 'DatabaseProbed',
    data: {},
    metadata: {
      eventId,
      correlationId: eventId,
      causationId: eventId,
      tenantId: 'tenant-db',
      actor: 'system:test',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
