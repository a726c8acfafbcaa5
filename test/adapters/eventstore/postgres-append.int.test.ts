import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { WrongExpectedRevisionError } from '../../../src/adapters/eventstore/port.ts';
import { chainBatch, GENESIS_HASH } from '../../../src/adapters/eventstore/hash-chain.ts';
import type { EventToAppend } from '../../../src/domain/shared/messages.ts';
import { testDatabases } from '../../support/databases.ts';

/** Append behaviour specific to this backend, beyond what the shared contract pins down. */
for (const backend of testDatabases()) {
  describe(`postgres event store appends on ${backend.name}`, () => {
    let database: Database;
    let store: PostgresEventStore;
    let rival: PostgresEventStore;

    beforeAll(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      // A second store on the same database: another process, as far as the stream lock knows.
      rival = await createPostgresEventStore(database);
    });
    afterAll(async () => {
      await rival?.close();
      await store?.close();
      await database?.close();
    });

    it('lets exactly one of many racing writers create a stream', async () => {
      const stream = `race-${randomUUID()}`;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) => (index % 2 === 0 ? store : rival).append(stream, [anEvent()], 'no_stream')),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
      }
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('lets exactly one of many writers win each exact revision', async () => {
      const stream = `race-${randomUUID()}`;
      await store.append(stream, [anEvent()], 'no_stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) => (index % 2 === 0 ? store : rival).append(stream, [anEvent(), anEvent()], 0n)),
      );
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(rejected).toHaveLength(5);
      for (const outcome of rejected) expect((outcome.reason as WrongExpectedRevisionError).actual).toBe(2n);
      expect((await store.readStream(stream)).map((event) => event.streamRevision)).toEqual([0n, 1n, 2n]);
    });

    it('turns stored eventIds re-sent at the current revision into a conflict, not a driver error', async () => {
      const stream = `resend-${randomUUID()}`;
      const first = anEvent();
      await store.append(stream, [first], 'no_stream');
      const error = await store.append(stream, [first], 0n).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBe(0n);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('rejects a batch that repeats an eventId before touching the database', async () => {
      const event = anEvent();
      await expect(store.append(`dup-${randomUUID()}`, [event, event], 'any')).rejects.toThrow('repeats an eventId');
    });

    it('checks the expectation of an empty append without creating the stream', async () => {
      const stream = `empty-${randomUUID()}`;
      await expect(store.append(stream, [], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.append(stream, [], 'no_stream')).nextExpectedRevision).toBe(-1n);
      await store.append(stream, [anEvent()], 'no_stream');
      expect((await store.append(stream, [], 0n)).nextExpectedRevision).toBe(0n);
    });

    it('appends batches larger than one INSERT statement, in order', async () => {
      const stream = `large-${randomUUID()}`;
      const batch = Array.from({ length: 1_200 }, (_, n) => anEvent({ n }));
      const result = await store.append(stream, batch, 'no_stream');
      expect(result.nextExpectedRevision).toBe(1_199n);
      const stored = await store.readStream(stream);
      expect(stored.map((event) => event.data['n'])).toEqual(batch.map((_, n) => n));
      expect(result.position).toEqual(stored[stored.length - 1]?.position);
    });

    it('links the chain in the database byte for byte as hash-chain.ts computes it', async () => {
      const stream = `chain-${randomUUID()}`;
      const awkward = { text: 'é "quoted" \\ back\nslash \u0001 ✓ 😀', n: 0.1, list: [3, { b: 1, a: null }] };
      const first = [anEvent(awkward), anEvent({ n: 2 })];
      const second = [anEvent({ n: 3 })];
      await store.append(stream, first, 'no_stream');
      await store.append(stream, second, 1n);
      const expected = chainBatch(stream, 0n, GENESIS_HASH, first);
      expected.push(...chainBatch(stream, 2n, expected.at(-1)!.hash, second));
      const { rows } = await sql<{ hash: string; prev_hash: string }>`
        select hash, prev_hash from es_events where stream_name = ${stream} order by stream_revision`.execute(database.db);
      expect(rows.map((row) => ({ prevHash: row.prev_hash, hash: row.hash }))).toEqual(expected);
      expect((await store.verifyStream(stream)).ok).toBe(true);
    });

    it('links from the head row when the stream row keeps no hash (written before the chain existed)', async () => {
      const stream = `headless-${randomUUID()}`;
      await store.append(stream, [anEvent({ n: 1 })], 'no_stream');
      await sql`update es_streams set last_hash = null where stream_name = ${stream}`.execute(database.db);
      await store.append(stream, [anEvent({ n: 2 })], 0n);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, checked: 2 });
    });

    it('answers a retried batch with its original result, whatever revision the retry carries', async () => {
      const stream = `retry-${randomUUID()}`;
      const batch = [anEvent(), anEvent()];
      const original = await store.append(stream, batch, 'no_stream');
      await store.append(stream, [anEvent()], original.nextExpectedRevision);
      for (const expected of ['no_stream', 'any', 0n] as const) {
        expect(await rival.append(stream, batch, expected)).toEqual(original);
      }
      // Part of a stored batch, or the batch out of order, is a conflict and writes nothing.
      await expect(store.append(stream, [batch[1]!, batch[0]!], 'any')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(stream, [batch[0]!, anEvent()], 'any')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('leaves no stream behind when a first append is refused', async () => {
      const stream = `refused-${randomUUID()}`;
      const error = await store.append(stream, [anEvent()], 4n).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBe(-1n);
      const { rows } = await sql`select 1 from es_streams where stream_name = ${stream}`.execute(database.db);
      expect(rows).toHaveLength(0);
    });
  });
}

function anEvent(data: Record<string, unknown> = {}): EventToAppend {
  const eventId = randomUUID();
  return {
    type: 'AppendProbed',
    data,
    metadata: {
      eventId,
      correlationId: eventId,
      causationId: eventId,
      tenantId: 'tenant-append',
      actor: 'system:test',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
