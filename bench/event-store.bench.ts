import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/adapters/db/database.ts';
import { openScratchDatabase } from './support/scratch-database.ts';
import { createPostgresEventStore } from '../src/adapters/eventstore/postgres-event-store.ts';
import type { ExpectedRevision } from '../src/adapters/eventstore/port.ts';
import type { EventToAppend } from '../src/domain/shared/messages.ts';

/**
 * Append throughput of the Postgres event store, measured against the floor of a plain multi-row
 * INSERT of the same rows into the same database in the same run, so the ratio says what the
 * store's guarantees cost rather than how fast this machine is.
 *
 * Sizes: BENCH_SINGLE_APPENDS (default 1000), BENCH_BATCHES (default 100), BENCH_BATCH_SIZE (default 100).
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a throwaway schema), else in-memory PGlite.
 */
export default async function bench(): Promise<void> {
  const singleAppends = sizeFromEnv('BENCH_SINGLE_APPENDS', 1000);
  const batches = sizeFromEnv('BENCH_BATCHES', 100);
  const batchSize = sizeFromEnv('BENCH_BATCH_SIZE', 100);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

  const { database, dispose } = await openScratchDatabase(url);
  try {
    console.log(`event store bench on ${database.kind}${url === undefined ? ' (in memory; set BENCH_DATABASE_URL for real Postgres)' : ''}`);
    const store = await createPostgresEventStore(database);

    const singleRate = await eventsPerSecond(singleAppends, async () => {
      // Round-robin over streams with exact expected revisions, as command handlers append.
      const streams = Array.from({ length: 50 }, () => `bench-single-${randomUUID()}`);
      const expected = new Map<string, ExpectedRevision>();
      for (let i = 0; i < singleAppends; i++) {
        const stream = streams[i % streams.length]!;
        const result = await store.append(stream, [benchEvent(i)], expected.get(stream) ?? 'no_stream');
        expected.set(stream, result.nextExpectedRevision);
      }
    });

    const batchedEvents = batches * batchSize;
    const batchedRate = await eventsPerSecond(batchedEvents, async () => {
      for (let b = 0; b < batches; b++) {
        const batch = Array.from({ length: batchSize }, (_, i) => benchEvent(b * batchSize + i));
        await store.append(`bench-batch-${randomUUID()}`, batch, 'no_stream');
      }
    });

    await createRawTable(database.db);
    const rawRate = await eventsPerSecond(batchedEvents, async () => {
      for (let b = 0; b < batches; b++) {
        const stream = `bench-raw-${randomUUID()}`;
        const rows = Array.from({ length: batchSize }, (_, i) => rawRow(stream, i, benchEvent(b * batchSize + i)));
        await database.db.insertInto('bench_raw_events').values(rows).execute();
      }
    });
    await store.close();

    console.log(`  raw multi-row INSERT (${batchSize}/statement):  ${format(rawRate)} events/s  (baseline)`);
    console.log(`  append, 1 event per append:           ${format(singleRate)} events/s  ratio ${(singleRate / rawRate).toFixed(3)}`);
    console.log(`  append, ${batchSize} events per append:        ${format(batchedRate)} events/s  ratio ${(batchedRate / rawRate).toFixed(3)}`);
  } finally {
    await dispose();
  }
}

async function eventsPerSecond(events: number, run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return events / seconds;
}

/** The event table's columns without its constraints, indexes or ordering scheme. */
async function createRawTable(db: Kysely<any>): Promise<void> {
  await sql`
    create table bench_raw_events (
      id bigserial primary key, stream_name text not null, stream_revision bigint not null,
      event_id text not null, type text not null, schema_version integer not null,
      data jsonb not null, metadata jsonb not null, tenant_id text not null, correlation_id text not null
    )`.execute(db);
}

function rawRow(stream: string, revision: number, event: EventToAppend) {
  return {
    stream_name: stream,
    stream_revision: revision,
    event_id: event.metadata.eventId,
    type: event.type,
    schema_version: event.metadata.schemaVersion,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
    tenant_id: event.metadata.tenantId,
    correlation_id: event.metadata.correlationId,
  };
}

function benchEvent(n: number): EventToAppend {
  const eventId = randomUUID();
  return {
    type: 'CallRated',
    data: { callId: `call-${n}`, price: { amount: 125 + (n % 50), currency: 'EUR' }, billableSeconds: 60 + (n % 600) },
    metadata: {
      eventId,
      correlationId: randomUUID(),
      causationId: eventId,
      tenantId: `tenant-${n % 5}`,
      actor: 'system:bench',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
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
}
