import { randomUUID } from 'node:crypto';
import { sql, type ControlledTransaction, type Kysely } from 'kysely';
import type { Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/database.ts';
import { appendInTransaction } from '../../../src/adapters/eventstore/postgres-append.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import type { AppendResult } from '../../../src/adapters/eventstore/port.ts';
import type { EventToAppend, RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { testDatabases } from '../../support/databases.ts';

const postgres = testDatabases().find((backend) => backend.name === 'postgres');
if (postgres === undefined) console.log('out-of-order commit tests skipped: they need real Postgres (set TEST_DATABASE_URL)');

/**
 * Commits that finish in a different order than they took their sequence numbers: the case a
 * sequence-only checkpoint gets wrong. Two transactions on two pooled connections, steered by hand.
 */
describe.skipIf(postgres === undefined)('postgres event store: out-of-order commits', () => {
  let database: Database;
  let store: PostgresEventStore;
  let subscription: Subscription | undefined;

  beforeEach(async () => {
    database = await postgres!.open();
    try {
      store = await createPostgresEventStore(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    // A failed test can leave a transaction open, and the pool would wait for it forever.
    for (const trx of openTransactions.splice(0)) if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
    await store.close();
    await database.close();
  });

  function follow() {
    const received: RecordedEvent[] = [];
    subscription = store.subscribe().subscribe({ next: (event) => received.push(event) });
    return received;
  }

  it('holds back a later-sequenced event until the earlier transaction commits, then delivers both in order', async () => {
    const received = follow();
    const a = await openTransaction(database.db);
    const b = await openTransaction(database.db);
    expect(await a.backendPid()).not.toBe(await b.backendPid());

    const appendedA = await a.append('ordering-a', anEvent());
    const appendedB = await b.append('ordering-b', anEvent());
    expect(appendedB.position.prepare).toBeGreaterThan(appendedA.position.prepare);
    await b.commit();

    // B is committed, but A still holds an earlier position: showing B now would let a checkpoint jump A.
    expect(await store.readAll()).toEqual([]);
    expect(await store.readStream('ordering-b')).toHaveLength(1);

    await a.commit();
    await waitUntil(() => received.length >= 2);
    expect(received.map((event) => event.streamName)).toEqual(['ordering-a', 'ordering-b']);
    expect((await store.readAll()).map((event) => event.streamName)).toEqual(['ordering-a', 'ordering-b']);
  });

  it('orders by transaction: an earlier transaction with a later sequence number still comes first', async () => {
    const received = follow();
    const early = await openTransaction(database.db);
    const late = await openTransaction(database.db);
    await early.takeTransactionId();

    const appendedLate = await late.append('ordering-late', anEvent());
    const appendedEarly = await early.append('ordering-early', anEvent());
    expect(appendedEarly.position.prepare).toBeGreaterThan(appendedLate.position.prepare);
    expect(appendedEarly.position.commit).toBeLessThan(appendedLate.position.commit);
    await late.commit();
    expect(await store.readAll()).toEqual([]);

    await early.commit();
    await waitUntil(() => received.length >= 2);
    expect(received.map((event) => event.streamName)).toEqual(['ordering-early', 'ordering-late']);
    const [first, second] = await store.readAll();
    expect(await store.readAll({ after: first!.position })).toEqual([second]);
  });
});

const openTransactions: ControlledTransaction<any>[] = [];

/** A transaction left open between steps (its own pooled connection), so the test decides when it commits. */
async function openTransaction(db: Kysely<any>) {
  const trx = await db.startTransaction().setIsolationLevel('read committed').execute();
  openTransactions.push(trx);
  return {
    backendPid: async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid,
    takeTransactionId: () => sql`select pg_current_xact_id()`.execute(trx),
    append: (stream: string, event: EventToAppend): Promise<AppendResult> =>
      appendInTransaction(trx, stream, [event], 'no_stream'),
    commit: () => trx.commit().execute(),
  };
}

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
    type: 'OrderingProbed',
    data: {},
    metadata: {
      eventId,
      correlationId: eventId,
      causationId: eventId,
      tenantId: 'tenant-ordering',
      actor: 'system:test',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
