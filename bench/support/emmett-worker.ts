import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dumbo } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, readMessagesBatch, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { benchEvent, concurrently, readWhileWriting, type Measured, type Sizes } from './event-store-workloads.ts';

/**
 * Emmett's PostgreSQL event store running the event-store bench's four workloads, in a process of
 * its own: dumbo (Emmett's database layer) sets pg's type parsers for the whole process (int8 →
 * bigint, jsonb through its own serializer), which would change what calltrail's store and the raw
 * baseline parse if they shared it. The parent (event-store.bench.ts) sends one message per
 * workload run and gets the figure back; the process stays up, so its JIT is as warm as the
 * parent's. Its database is one of its own on the same server, with a pool as large as the
 * parent's.
 *
 * Messages: { url, sizes } once, then { workload: 'single' | 'batched' | 'hot' | 'read' } each run.
 */

type Setup = { url: string; sizes: Sizes };
type Workload = 'single' | 'batched' | 'hot' | 'read';

let setup: Setup | undefined;
let pool: pg.Pool | undefined;
let store: PostgresEventStore | undefined;
let execute: ReturnType<typeof dumbo>['execute'] | undefined;

process.on('message', (message: { url?: string; sizes?: Sizes; workload?: Workload; close?: true }) => {
  void handle(message).then(
    (reply) => process.send!({ ok: true, reply }),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.stack : String(error) }),
  );
});

async function handle(message: { url?: string; sizes?: Sizes; workload?: Workload; close?: true }): Promise<Measured | null> {
  if (message.close) {
    await store?.close();
    await pool?.end();
    return null;
  }
  if (message.url !== undefined && message.sizes !== undefined) {
    setup = { url: message.url, sizes: message.sizes };
    pool = new pg.Pool({ connectionString: setup.url, max: setup.sizes.writers + 4 });
    const database = dumbo({ connectionString: setup.url, pool });
    execute = database.execute;
    store = getPostgreSQLEventStore(setup.url, { connectionOptions: { dumbo: database } });
    await store.schema.migrate();
    return null;
  }
  if (setup === undefined || store === undefined) throw new Error('emmett worker: not set up');
  switch (message.workload) {
    case 'single':
      return single(store, setup.sizes);
    case 'batched':
      return batched(store, setup.sizes);
    case 'hot':
      return hot(store, setup.sizes);
    case 'read':
      return read(store, setup.sizes);
    default:
      throw new Error(`emmett worker: unknown workload ${String(message.workload)}`);
  }
}

/** Emmett's event shape: our bench event's data, and its metadata as the message's metadata. */
function emmettEvent(n: number) {
  const event = benchEvent(n);
  return { type: event.type, data: event.data, metadata: { ...event.metadata } };
}

// A new stream is at version 0 in Emmett, and an expected 0n is checked (it is not "no check").
function single(es: PostgresEventStore, sizes: Sizes): Promise<Measured> {
  return concurrently(sizes.writers, sizes.single, 1, async (n) => {
    await es.appendToStream(`single-${randomUUID()}`, [emmettEvent(n)], { expectedStreamVersion: 0n });
  });
}

function batched(es: PostgresEventStore, sizes: Sizes): Promise<Measured> {
  return concurrently(sizes.writers, sizes.batches, sizes.batchSize, async (n) => {
    const batch = Array.from({ length: sizes.batchSize }, (_, i) => emmettEvent(n * sizes.batchSize + i));
    await es.appendToStream(`batch-${randomUUID()}`, batch, { expectedStreamVersion: 0n });
  });
}

/**
 * Emmett's conflict error does not say the stream's actual version (it reports -1), so a loser
 * re-reads it, as the raw baseline does: one indexed read of Emmett's streams table, which is
 * cheaper than its readStream (that reads every event of the stream).
 */
function hot(es: PostgresEventStore, sizes: Sizes): Promise<Measured> {
  const run = randomUUID();
  const known = new Map<string, bigint>();
  return concurrently(sizes.writers, sizes.hot, 1, async (n) => {
    const stream = `hot-${run}-${n % 20}`;
    const event = emmettEvent(n);
    for (;;) {
      try {
        const result = await es.appendToStream(stream, [event], { expectedStreamVersion: known.get(stream) ?? 0n });
        known.set(stream, result.nextExpectedStreamVersion);
        return;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ExpectedVersionConflictError' && !/version/i.test(String(error))) throw error;
        const { rows } = await pool!.query<{ position: string | bigint }>(
          'select stream_position as position from emt_streams where stream_id = $1',
          [stream],
        );
        known.set(stream, rows[0] === undefined ? 0n : BigInt(rows[0].position));
      }
    }
  });
}

/**
 * Emmett's own reader: readMessagesBatch, what its batch puller and consumers call, paged by its
 * global position. Its exactness is reported as measured: it shows only transactions older than
 * the oldest one still running, but it pages by global position while ordering by transaction id,
 * so it can step past an event.
 */
async function read(es: PostgresEventStore, sizes: Sizes): Promise<Measured> {
  for (let done = 0; done < sizes.readSeed; done += 500) {
    const batch = Array.from({ length: Math.min(500, sizes.readSeed - done) }, (_, i) => emmettEvent(done + i));
    await es.appendToStream(`seed-${randomUUID()}`, batch, { expectedStreamVersion: 0n });
  }
  const { rows } = await pool!.query<{ n: string }>('select count(*) as n from emt_messages');
  const before = Number(rows[0]?.n ?? 0);
  return readWhileWriting<bigint>(sizes, before, {
    holdsBack: true,
    write: async (n) => {
      await es.appendToStream(`live-${randomUUID()}`, [emmettEvent(n)], { expectedStreamVersion: 0n });
    },
    readFrom: async (after) => {
      const page = await readMessagesBatch(execute!, { after: after ?? 0n, batchSize: 1000 });
      return {
        ids: page.messages.map((message) => String((message.metadata as unknown as { eventId: string }).eventId)),
        last: page.messages.length > 0 ? page.currentGlobalPosition : after,
      };
    },
    allIds: async () =>
      (await pool!.query<{ id: string }>(`select message_metadata->>'eventId' as id from emt_messages`)).rows.map((row) => row.id),
  });
}
