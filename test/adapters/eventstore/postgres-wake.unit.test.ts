import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery, type DatabaseConnection, type QueryResult } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CoalescedNotify } from '../../../src/adapters/eventstore/postgres-wake.ts';

/** A database whose every statement waits until the test lets it finish, recording what was sent. */
function heldDatabase() {
  const sent: string[] = [];
  const pending: Array<(failure?: Error) => void> = [];
  const connection: DatabaseConnection = {
    executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      sent.push(`${query.sql} ${JSON.stringify(query.parameters)}`);
      return new Promise((resolve, reject) => pending.push((failure) => (failure ? reject(failure) : resolve({ rows: [] }))));
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  class HeldDriver extends DummyDriver {
    override async acquireConnection(): Promise<DatabaseConnection> {
      return connection;
    }
  }
  const db = new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new HeldDriver(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const settle = async () => {
    await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    db,
    sent,
    /** Lets the statement in flight finish, then gives the notifier a turn to send the next. */
    async finishOne() {
      pending.shift()?.();
      await settle();
    },
    async failOne() {
      pending.shift()?.(new Error('connection reset'));
      await settle();
    },
    settle,
  };
}

describe('NOTIFY after commit, coalesced', () => {
  it('sends one NOTIFY at once, and one more for every burst of appends made while it was in flight', async () => {
    const database = heldDatabase();
    const notify = new CoalescedNotify(database.db, 'calltrail_events');

    notify.request();
    await database.settle();
    expect(database.sent).toEqual(['select es_wake($1) ["calltrail_events"]']);

    // Three appends commit while the first NOTIFY is in flight: it may have been sent before them.
    notify.request();
    notify.request();
    notify.request();
    await database.finishOne();
    expect(database.sent).toHaveLength(2);

    await database.finishOne();
    await notify.settled();
    expect(database.sent).toHaveLength(2);

    // Quiet again: the next append gets its own NOTIFY straight away.
    notify.request();
    await database.settle();
    expect(database.sent).toHaveLength(3);
    await database.finishOne();
    await notify.settled();
  });

  it('keeps announcing after a NOTIFY fails (a lost wake-up costs only latency, subscribers poll)', async () => {
    const database = heldDatabase();
    const notify = new CoalescedNotify(database.db, 'calltrail_events');
    notify.request();
    await database.settle();
    notify.request();
    await database.failOne();
    // The append that came during the failed NOTIFY still gets one.
    expect(database.sent).toHaveLength(2);
    await database.finishOne();
    await notify.settled();
    notify.request();
    await database.settle();
    expect(database.sent).toHaveLength(3);
    await database.finishOne();
    await notify.settled();
  });
});
