import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/adapters/db/database.ts';
import { openScratchDatabase } from './support/scratch-database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../src/adapters/eventstore/postgres-event-store.ts';
import { WrongExpectedRevisionError, type ExpectedRevision } from '../src/adapters/eventstore/port.ts';
import { START_POSITION, type EventToAppend, type GlobalPosition } from '../src/domain/shared/messages.ts';
import { benchEvent, cell, concurrently, median, readWhileWriting, sizesFromEnv, worst, type Measured, type Sizes } from './support/event-store-workloads.ts';
import { startEmmett, type EmmettRunner } from './support/emmett-client.ts';

/**
 * The event store's four workloads beside a raw INSERT doing the same work in the same database and
 * the same run, so each ratio says what the store's guarantees cost rather than how fast the machine
 * is. Every workload has WRITERS (16) concurrent writers; each figure is the median of RUNS (3).
 *
 *  single   — appends of 1 event to new streams.        raw: a one-row INSERT per event (autocommit).
 *  batched  — appends of 10 events to new streams.      raw: a 10-row INSERT per batch.
 *  hot      — appends of 1 event to 20 streams, each with its exact expected revision; a writer that
 *             loses a race retries at the revision the conflict reports.
 *             raw: a one-row INSERT of the revision the writer believes, into a table with a unique
 *             (stream, revision) index; a writer that loses re-reads the stream's max and retries.
 *  read     — one reader pages the whole log in global order (1,000 a page) while the writers append.
 *             raw: keyset paging on a bigserial. Exactness is checked: after the writers stop, the
 *             reader reads to the end, and every stored event must have been seen exactly once.
 *
 * Sizes: BENCH_SINGLE (2000), BENCH_BATCHES (400, of BENCH_BATCH_SIZE 10), BENCH_HOT (1000),
 * BENCH_READ_SEED (20000) events in the log before the read, BENCH_WRITERS (16), BENCH_RUNS (3).
 * Backends: in-memory PGlite always; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set
 * (a throwaway schema). BENCH_BACKENDS=postgres or =pglite runs one.
 *
 * On PostgreSQL, Emmett's event store (@event-driven-io/emmett-postgresql) runs the same four
 * workloads in the same run, with the same writers, sizes and pool size, in a database of its own
 * on the same server and a process of its own (support/emmett-worker.ts says why). Emmett has no
 * PGlite store, so the PGlite table has no Emmett column. BENCH_EMMETT=0 leaves it out.
 */
export default async function bench(): Promise<void> {
  const sizes = sizesFromEnv();
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const wanted = process.env.BENCH_BACKENDS;
  const backends: (string | undefined)[] = [];
  if (wanted === undefined || wanted === 'pglite') backends.push(undefined);
  if (url !== undefined && (wanted === undefined || wanted === 'postgres')) backends.push(url);
  console.log(`${sizes.writers} concurrent writers, median of ${sizes.runs} runs; events/s, and client CPU µs per event`);

  for (const backend of backends) {
    const { database, dispose } = await openScratchDatabase(backend, { maxConnections: sizes.writers + 4 });
    try {
      console.log(`\n${database.kind}${backend === undefined ? ' (in memory)' : ''}`);
      const store = await createPostgresEventStore(database);
      await createRawTables(database.db);
      const emmett = backend !== undefined && process.env.BENCH_EMMETT !== '0' ? await startEmmett(backend, sizes) : undefined;
      const workloads: [string, 'single' | 'batched' | 'hot' | 'read', () => Promise<Measured>, () => Promise<Measured>][] = [
        [`${sizes.single} appends of 1 event to new streams`, 'single', () => rawSingle(database, sizes), () => storeSingle(store, sizes)],
        [`${sizes.batches} appends of ${sizes.batchSize} events`, 'batched', () => rawBatched(database, sizes), () => storeBatched(store, sizes)],
        [`${sizes.hot} appends to 20 hot streams, version-checked`, 'hot', () => rawHot(database, sizes), () => storeHot(store, sizes)],
        [`read the log in global order while writing`, 'read', () => rawRead(database, sizes), () => storeRead(store, database, sizes)],
      ];
      try {
        await runWorkloads(workloads, sizes, emmett);
      } finally {
        await emmett?.close();
      }
      await store.close();
    } finally {
      await dispose();
    }
  }
}

/** Runs each workload RUNS times, raw, Emmett and calltrail in turn, and prints the medians and ratios. */
async function runWorkloads(
  workloads: [string, 'single' | 'batched' | 'hot' | 'read', () => Promise<Measured>, () => Promise<Measured>][],
  sizes: Sizes,
  emmett: EmmettRunner | undefined,
): Promise<void> {
  const emmettHeads = emmett === undefined ? '' : ` ${'Emmett'.padStart(16)}`;
  console.log(`  ${'workload'.padEnd(50)} ${'raw INSERT'.padStart(16)}${emmettHeads} ${'calltrail'.padStart(16)}  ÷raw${emmett ? ' ÷Emmett' : ''}  exact`);
  for (const [name, workload, raw, ours] of workloads) {
    const rawRuns: Measured[] = [];
    const emmettRuns: Measured[] = [];
    const ourRuns: Measured[] = [];
    for (let run = 0; run < sizes.runs; run++) {
      rawRuns.push(await raw());
      if (emmett !== undefined) emmettRuns.push(await emmett.run(workload));
      ourRuns.push(await ours());
    }
    const r = median(rawRuns);
    const o = median(ourRuns);
    const e = emmett === undefined ? undefined : median(emmettRuns);
    const exact = [...rawRuns, ...ourRuns].some((m) => m.exactness !== undefined)
      ? `raw ${worst(rawRuns)}; ${e ? `Emmett ${worst(emmettRuns)}; ` : ''}calltrail ${worst(ourRuns)}`
      : '';
    const versusEmmett = e === undefined ? '' : ` ${(o.rate / e.rate).toFixed(2).padStart(7)}`;
    console.log(`  ${name.padEnd(50)} ${cell(r)}${e ? ` ${cell(e)}` : ''} ${cell(o)}  ${(o.rate / r.rate).toFixed(2).padStart(4)}${versusEmmett}  ${exact}`);
  }
}

// ---- calltrail ----

function storeSingle(store: PostgresEventStore, sizes: Sizes): Promise<Measured> {
  return concurrently(sizes.writers, sizes.single, 1, async (n) => {
    await store.append(`single-${randomUUID()}`, [benchEvent(n)], 'no_stream');
  });
}

function storeBatched(store: PostgresEventStore, sizes: Sizes): Promise<Measured> {
  return concurrently(sizes.writers, sizes.batches, sizes.batchSize, async (n) => {
    const batch = Array.from({ length: sizes.batchSize }, (_, i) => benchEvent(n * sizes.batchSize + i));
    await store.append(`batch-${randomUUID()}`, batch, 'no_stream');
  });
}

function storeHot(store: PostgresEventStore, sizes: Sizes): Promise<Measured> {
  const run = randomUUID();
  const known = new Map<string, ExpectedRevision>();
  return concurrently(sizes.writers, sizes.hot, 1, async (n) => {
    const stream = `hot-${run}-${n % 20}`;
    const event = benchEvent(n);
    for (;;) {
      try {
        const result = await store.append(stream, [event], known.get(stream) ?? 'no_stream');
        known.set(stream, result.nextExpectedRevision);
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        known.set(stream, error.actual < 0n ? 'no_stream' : error.actual);
      }
    }
  });
}

async function storeRead(store: PostgresEventStore, database: Database, sizes: Sizes): Promise<Measured> {
  await seedStore(store, sizes.readSeed);
  const before = await countRows(database.db, 'es_events');
  return readWhileWriting(sizes, before, {
    holdsBack: true,
    write: async (n) => {
      await store.append(`live-${randomUUID()}`, [benchEvent(n)], 'no_stream');
    },
    readFrom: async (after: GlobalPosition | undefined) => {
      const page = await store.readAll({ after: after ?? START_POSITION, maxCount: 1000 });
      return { ids: page.map((event) => event.metadata.eventId), last: page.at(-1)?.position ?? after };
    },
    allIds: async () => (await sql<{ id: string }>`select event_id as id from es_events`.execute(database.db)).rows.map((row) => row.id),
  });
}

async function seedStore(store: PostgresEventStore, events: number): Promise<void> {
  for (let done = 0; done < events; done += 500) {
    const batch = Array.from({ length: Math.min(500, events - done) }, (_, i) => benchEvent(done + i));
    await store.append(`seed-${randomUUID()}`, batch, 'no_stream');
  }
}

// ---- raw INSERT ----

async function createRawTables(db: Kysely<any>): Promise<void> {
  const columns = sql.raw(`
      id bigserial primary key, stream_name text not null, stream_revision bigint not null,
      event_id text not null, type text not null, schema_version integer not null,
      data jsonb not null, metadata jsonb not null, tenant_id text not null, correlation_id text not null`);
  await sql`create table raw_events (${columns})`.execute(db);
  await sql`create table raw_hot_events (${columns}, unique (stream_name, stream_revision))`.execute(db);
}

function rawInsert(db: Kysely<any>, table: 'raw_events' | 'raw_hot_events', stream: string, firstRevision: number, events: EventToAppend[]) {
  const rows = events.map(
    (event, i) =>
      sql`(${stream}, ${firstRevision + i}, ${event.metadata.eventId}, ${event.type}, ${event.metadata.schemaVersion},
           ${JSON.stringify(event.data)}::jsonb, ${JSON.stringify(event.metadata)}::jsonb, ${event.metadata.tenantId}, ${event.metadata.correlationId})`,
  );
  return sql`insert into ${sql.table(table)} (stream_name, stream_revision, event_id, type, schema_version, data, metadata, tenant_id, correlation_id)
             values ${sql.join(rows)}`.execute(db);
}

function rawSingle(database: Database, sizes: Sizes): Promise<Measured> {
  return concurrently(sizes.writers, sizes.single, 1, async (n) => {
    await rawInsert(database.db, 'raw_events', `single-${randomUUID()}`, 0, [benchEvent(n)]);
  });
}

function rawBatched(database: Database, sizes: Sizes): Promise<Measured> {
  return concurrently(sizes.writers, sizes.batches, sizes.batchSize, async (n) => {
    const batch = Array.from({ length: sizes.batchSize }, (_, i) => benchEvent(n * sizes.batchSize + i));
    await rawInsert(database.db, 'raw_events', `batch-${randomUUID()}`, 0, batch);
  });
}

function rawHot(database: Database, sizes: Sizes): Promise<Measured> {
  const run = randomUUID();
  const known = new Map<string, number>();
  return concurrently(sizes.writers, sizes.hot, 1, async (n) => {
    const stream = `hot-${run}-${n % 20}`;
    const event = benchEvent(n);
    for (;;) {
      const revision = known.get(stream) ?? 0;
      try {
        await rawInsert(database.db, 'raw_hot_events', stream, revision, [event]);
        known.set(stream, revision + 1);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        const { rows } = await sql<{ head: string | null }>`
          select max(stream_revision) as head from raw_hot_events where stream_name = ${stream}`.execute(database.db);
        known.set(stream, rows[0]?.head === null || rows[0] === undefined ? 0 : Number(rows[0].head) + 1);
      }
    }
  });
}

async function rawRead(database: Database, sizes: Sizes): Promise<Measured> {
  for (let done = 0; done < sizes.readSeed; done += 500) {
    const batch = Array.from({ length: Math.min(500, sizes.readSeed - done) }, (_, i) => benchEvent(done + i));
    await rawInsert(database.db, 'raw_events', `seed-${randomUUID()}`, 0, batch);
  }
  const before = await countRows(database.db, 'raw_events');
  return readWhileWriting(sizes, before, {
    holdsBack: false,
    write: async (n) => {
      await rawInsert(database.db, 'raw_events', `live-${randomUUID()}`, 0, [benchEvent(n)]);
    },
    readFrom: async (after: string | undefined) => {
      // The same columns readAll returns, so both pages carry the same bytes.
      const { rows } = await sql<{ id: string; event_id: string }>`
        select id, stream_name, stream_revision, event_id, type, data, metadata
        from raw_events where id > ${after ?? '0'} order by id limit 1000`.execute(database.db);
      return { ids: rows.map((row) => row.event_id), last: rows.at(-1)?.id ?? after };
    },
    allIds: async () => (await sql<{ id: string }>`select event_id as id from raw_events`.execute(database.db)).rows.map((row) => row.id),
  });
}

async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bench();
}
