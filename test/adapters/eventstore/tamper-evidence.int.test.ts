/**
 * Tamper evidence on every backend: the hash chain holds after ordinary appends and retries, and
 * an event altered directly in storage is reported by `verify` as exactly that stream and revision.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/database.ts';
import { createEsdbEventStore, type EsdbEventStore } from '../../../src/adapters/eventstore/esdb-event-store.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.ts';
import { callStreamEvents } from '../../support/call-events.ts';
import { testDatabases } from '../../support/databases.ts';

const CALLS = 12;

async function seed(store: PostgresEventStore | EsdbEventStore): Promise<string[]> {
  const streams: string[] = [];
  for (let index = 0; index < CALLS; index++) {
    const { callId, events } = callStreamEvents(index);
    const stream = `call-${callId}`;
    // Appended the way the command handler does: first event, then the rest one by one.
    let expected = (await store.append(stream, events.slice(0, 1), 'no_stream')).nextExpectedRevision;
    for (const event of events.slice(1)) expected = (await store.append(stream, [event], expected)).nextExpectedRevision;
    streams.push(stream);
  }
  return streams;
}

const totalEvents = () => Array.from({ length: CALLS }, (_, i) => callStreamEvents(i).events.length).reduce((a, b) => a + b, 0);

for (const backend of testDatabases()) {
  describe(`verify on ${backend.name}`, () => {
    let database: Database;
    let store: PostgresEventStore;
    let streams: string[];

    beforeAll(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      streams = await seed(store);
    });
    afterAll(async () => {
      await store?.close();
      await database?.close();
    });

    it('finds every chain intact after ordinary appends and an idempotent retry', async () => {
      const { events } = callStreamEvents(0);
      await store.append(streams[0]!, events.slice(1, 3), 0n); // a retry of revisions 1-2: writes nothing
      const report = await store.verifyAll();
      expect(report).toEqual({ ok: true, checked: totalEvents(), streams: CALLS });
      expect((await store.verifyStream(streams[3]!)).ok).toBe(true);
    });

    it('stores each hash with the previous one, the first linking to the genesis hash', async () => {
      const { rows } = await sql<{ stream_revision: string; hash: string; prev_hash: string }>`
        select stream_revision, hash, prev_hash from es_events where stream_name = ${streams[0]!} order by stream_revision`.execute(database.db);
      expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    });

    it('reports exactly the event whose data was altered with SQL', async () => {
      const target = streams[4]!; // index 4: answered call, 5 events
      await sql`update es_events set data = jsonb_set(data, '{billableMs}', '1000')
                where stream_name = ${target} and stream_revision = 4`.execute(database.db);
      const { rows } = await sql<{ tx_id: string; global_seq: string }>`
        select tx_id, global_seq from es_events where stream_name = ${target} and stream_revision = 4`.execute(database.db);

      const all = await store.verifyAll();
      expect(all.ok).toBe(false);
      expect(all.firstBroken).toEqual({
        stream: target,
        revision: 4n,
        position: { commit: BigInt(rows[0]!.tx_id), prepare: BigInt(rows[0]!.global_seq) },
        reason: expect.stringContaining('altered'),
      });
      expect((await store.verifyStream(target)).firstBroken).toMatchObject({ stream: target, revision: 4n });
      expect((await store.verifyStream(streams[5]!)).ok).toBe(true);
    });

    it('reports a deleted event and a deleted stream tail', async () => {
      const middle = streams[8]!;
      await sql`delete from es_events where stream_name = ${middle} and stream_revision = 2`.execute(database.db);
      expect((await store.verifyStream(middle)).firstBroken).toMatchObject({ stream: middle, revision: 2n, reason: expect.stringContaining('missing') });

      const tail = streams[9]!;
      const last = BigInt(callStreamEvents(9).events.length - 1);
      await sql`delete from es_events where stream_name = ${tail} and stream_revision = ${last.toString()}`.execute(database.db);
      expect((await store.verifyStream(tail)).firstBroken).toMatchObject({ stream: tail, revision: last });
    });

    it('reports an indexed column edited apart from the metadata it copies', async () => {
      const target = streams[10]!;
      await sql`update es_events set tenant_id = 'tenant-b' where stream_name = ${target} and stream_revision = 0`.execute(database.db);
      expect((await store.verifyStream(target)).firstBroken).toMatchObject({ stream: target, revision: 0n, reason: expect.stringContaining('tenant_id') });
    });

    it('backfills links for rows written before the hash chain existed', async () => {
      const target = streams[11]!;
      await sql`update es_events set hash = null, prev_hash = null where stream_name = ${target}`.execute(database.db);
      await sql`update es_streams set last_hash = null where stream_name = ${target}`.execute(database.db);
      expect((await store.verifyStream(target)).firstBroken).toMatchObject({ stream: target, revision: 0n, reason: expect.stringContaining('no hash') });
      await store.ensureSchema();
      expect(await store.verifyStream(target)).toMatchObject({ ok: true, checked: callStreamEvents(11).events.length });
    });
  });
}

describe('verify on the EventStoreDB wire double', () => {
  let double: EsdbDouble;
  let store: EsdbEventStore;
  let streams: string[];

  beforeAll(async () => {
    double = await startEsdbDouble();
    store = createEsdbEventStore(double.url);
    await store.connect();
    streams = await seed(store);
  });
  afterAll(async () => {
    await store?.close();
    await double?.close();
  });

  it('finds every chain intact after ordinary appends, retries and `any` appends', async () => {
    const { events } = callStreamEvents(0);
    await store.append(streams[0]!, events.slice(1, 3), 0n); // retry of revisions 1-2
    await store.append(streams[0]!, events.slice(1, 3), 'any'); // the same retry with `any`
    const report = await store.verifyAll();
    expect(report).toEqual({ ok: true, checked: totalEvents(), streams: CALLS });
  });

  it('keeps the links in metadata that readers never see', async () => {
    const [first] = await store.readStream(streams[1]!);
    expect(Object.keys(first!.metadata).some((key) => key.startsWith('$'))).toBe(false);
    const onDisk = double.events().filter((event) => event.streamName === streams[1]!);
    const metadata = onDisk.map((event) => event.metadata as Record<string, string>);
    expect(metadata[0]!.$calltrailPrevHash).toBe('0'.repeat(64));
    for (let i = 1; i < metadata.length; i++) expect(metadata[i]!.$calltrailPrevHash).toBe(metadata[i - 1]!.$calltrailHash);
  });

  it('reports exactly the event whose data was altered in the server log', async () => {
    const target = streams[4]!;
    const stored = double.events().find((event) => event.streamName === target && event.revision === 4n)!;
    double.tamperWithEvent(target, 4n, { data: { ...(stored.data as object), billableMs: 1000 } });

    const all = await store.verifyAll();
    expect(all.ok).toBe(false);
    expect(all.firstBroken).toEqual({
      stream: target,
      revision: 4n,
      position: { commit: stored.position, prepare: stored.position },
      reason: expect.stringContaining('altered'),
    });
    expect((await store.verifyStream(target)).firstBroken).toMatchObject({ stream: target, revision: 4n });
    expect((await store.verifyStream(streams[5]!)).ok).toBe(true);
  });

  it('reports metadata altered in the server log', async () => {
    const target = streams[6]!;
    const stored = double.events().find((event) => event.streamName === target && event.revision === 1n)!;
    double.tamperWithEvent(target, 1n, { metadata: { ...(stored.metadata as object), actor: 'user:mallory' } });
    expect((await store.verifyStream(target)).firstBroken).toMatchObject({ stream: target, revision: 1n });
  });
});

describe('both backends compute the same chain', () => {
  it('gives identical hashes for identical events', async () => {
    const [backend] = testDatabases();
    const database = await backend!.open();
    const double = await startEsdbDouble();
    const postgres = await createPostgresEventStore(database);
    const esdb = createEsdbEventStore(double.url);
    try {
      const { callId, events } = callStreamEvents(3);
      await postgres.append(`call-${callId}`, events, 'no_stream');
      await esdb.append(`call-${callId}`, events, 'no_stream');
      const { rows } = await sql<{ hash: string }>`select hash from es_events where stream_name = ${`call-${callId}`} order by stream_revision`.execute(database.db);
      const fromDouble = double.events().filter((event) => event.streamName === `call-${callId}`).map((event) => (event.metadata as Record<string, string>).$calltrailHash);
      expect(rows.map((row) => row.hash)).toEqual(fromDouble);
    } finally {
      await esdb.close();
      await postgres.close();
      await double.close();
      await database.close();
    }
  });
});
