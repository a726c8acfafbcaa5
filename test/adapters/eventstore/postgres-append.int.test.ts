import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { WrongExpectedRevisionError } from '../../../src/adapters/eventstore/port.ts';
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
