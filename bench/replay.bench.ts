import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/adapters/db/database.ts';
import { chainBatch, GENESIS_HASH } from '../src/adapters/eventstore/hash-chain.ts';
import { createPostgresEventStore } from '../src/adapters/eventstore/postgres-event-store.ts';
import { progressBar } from '../src/cli/progress.ts';
import { START_POSITION, type GlobalPosition } from '../src/domain/shared/messages.ts';
import { callsProjection } from '../src/projections/calls/projection.ts';
import { replay } from '../src/projections/replay/replay.ts';
import { callStreamEvents } from '../test/support/call-events.ts';

/**
 * `calltrail replay` of a big log into the calls read model (issue 2's "replay of 1,000,000 events
 * into the calls read model, in events per second"), with the CLI's progress bar on stderr.
 *
 * Baseline, same run, same database: a bare pass over the whole log with readAll in the same page
 * size — what reading alone costs — so the ratio says what projecting and committing add.
 * Seeding is a bulk INSERT of rows exactly as the store writes them (hash chain included) and is
 * timed apart.
 *
 * Size: BENCH_REPLAY_EVENTS (default 1,000,000; about 4-6 minutes on Postgres with 2 cores).
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a throwaway schema), else in-memory PGlite.
 */
export default async function bench(): Promise<void> {
  const target = sizeFromEnv('BENCH_REPLAY_EVENTS', 1_000_000);
  const batchSize = sizeFromEnv('BENCH_REPLAY_BATCH', 2000);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const { database, dispose } = await openScratchDatabase(url);
  try {
    console.log(`replay bench on ${database.kind}${url === undefined ? ' (in memory; set BENCH_DATABASE_URL for real Postgres)' : ''}`);
    const store = await createPostgresEventStore(database);

    const seedStarted = performance.now();
    const seeded = await seed(database, target);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(`  seeded ${seeded.events.toLocaleString('en-US')} events (${seeded.calls.toLocaleString('en-US')} calls) in ${seedSeconds.toFixed(1)} s (bulk INSERT with hashes; not part of the figures)`);

    const readStarted = performance.now();
    let read = 0;
    let after: GlobalPosition = START_POSITION;
    for (;;) {
      const page = await store.readAll({ after, maxCount: batchSize });
      read += page.length;
      if (page.length > 0) after = page.at(-1)!.position;
      if (page.length < batchSize) break;
    }
    const readRate = read / ((performance.now() - readStarted) / 1000);

    const bar = progressBar({ out: process.stderr, label: 'replay', fractionDone: (done) => done / seeded.events });
    const result = await replay({
      db: database.db,
      store,
      projections: [callsProjection],
      batchSize,
      now: new Date(),
      onProgress: (progress) => bar.update(progress.events),
    });
    const { perSecond, seconds } = bar.stop();
    const { rows } = await sql<{ n: string }>`select count(*) as n from calls`.execute(database.db);
    await store.close();

    console.log(`  readAll pass over the log (baseline):  ${format(readRate)} events/s`);
    console.log(`  replay into calls + swap:             ${format(perSecond)} events/s  ratio ${(perSecond / readRate).toFixed(3)}  (${result.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s; ${Number(rows[0]!.n).toLocaleString('en-US')} calls rows)`);
  } finally {
    await dispose();
  }
}

/** Call streams written straight into the store's tables, the way appendInTransaction writes them. */
async function seed(database: Database, target: number): Promise<{ events: number; calls: number }> {
  const ROWS = 1000;
  let events = 0;
  let calls = 0;
  let eventRows: Record<string, unknown>[] = [];
  let streamRows: Record<string, unknown>[] = [];
  const flush = async () => {
    if (eventRows.length === 0) return;
    await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('es_events').values(eventRows).execute();
      await trx.insertInto('es_streams').values(streamRows).execute();
    });
    eventRows = [];
    streamRows = [];
  };
  while (events < target) {
    const { callId, events: batch } = callStreamEvents(calls);
    const stream = `call-${callId}`;
    const links = chainBatch(stream, 0n, GENESIS_HASH, batch);
    batch.forEach((event, revision) => {
      eventRows.push({
        stream_name: stream,
        stream_revision: String(revision),
        event_id: event.metadata.eventId,
        type: event.type,
        schema_version: event.metadata.schemaVersion,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        tenant_id: event.metadata.tenantId,
        correlation_id: event.metadata.correlationId,
        hash: links[revision]!.hash,
        prev_hash: links[revision]!.prevHash,
      });
    });
    streamRows.push({ stream_name: stream, revision: String(batch.length - 1), last_hash: links.at(-1)!.hash });
    events += batch.length;
    calls += 1;
    if (eventRows.length >= ROWS) await flush();
  }
  await flush();
  return { events, calls };
}

async function openScratchDatabase(url: string | undefined): Promise<{ database: Database; dispose: () => Promise<void> }> {
  if (url === undefined) {
    const database = await openDatabase({});
    return { database, dispose: () => database.close() };
  }
  const schema = `bench_replay_${randomBytes(4).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  const database = await openDatabase({ url, searchPath: schema });
  return {
    database,
    dispose: async () => {
      await database.close();
      await admin(`drop schema ${schema} cascade`);
    },
  };
}

function sizeFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function format(rate: number): string {
  return Math.round(rate).toLocaleString('en-US').padStart(9);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bench();
  process.exit(0);
}
