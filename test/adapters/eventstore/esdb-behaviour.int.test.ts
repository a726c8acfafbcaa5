/**
 * EventStoreDB-specific behaviour of the adapter, through the real client against the gRPC double:
 * what lands on disk, what is hidden, and how ESDB's idempotency answers come back.
 * Backend-neutral semantics live in the shared contract (esdb.int.test.ts runs it).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import type { EventMetadata, EventToAppend } from '../../../src/domain/shared/messages.ts';
import { WrongExpectedRevisionError } from '../../../src/adapters/eventstore/port.ts';
import { createEsdbEventStore, type EsdbEventStore } from '../../../src/adapters/eventstore/esdb-event-store.ts';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.ts';

function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    eventId: randomUUID(),
    correlationId: `corr-${randomUUID()}`,
    causationId: `cause-${randomUUID()}`,
    tenantId: 'tenant-a',
    actor: 'user:alice',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
    ...overrides,
  };
}

function event(type: string, data: Record<string, unknown> = {}, meta: Partial<EventMetadata> = {}): EventToAppend {
  return { type, data, metadata: metadata(meta) };
}

const freshStream = () => `call-${randomUUID()}`;

describe('EsdbEventStore on the gRPC double', () => {
  let double: EsdbDouble;
  let store: EsdbEventStore;

  beforeAll(async () => {
    double = await startEsdbDouble();
    store = createEsdbEventStore(double.url);
    await store.connect();
  });

  afterAll(async () => {
    await store.close();
    await double.close();
  });

  it('stores our metadata and ESDB-named $correlationId/$causationId, with eventId as the ESDB id', async () => {
    const stream = freshStream();
    const written = event('CallRequested', { callId: 'c1' });
    await store.append(stream, [written], 'no_stream');

    const [onDisk] = double.events().filter((e) => e.streamName === stream);
    expect(onDisk?.id).toBe(written.metadata.eventId);
    expect(onDisk?.type).toBe('CallRequested');
    expect(onDisk?.data).toEqual({ callId: 'c1' });
    expect(onDisk?.metadata).toMatchObject({
      ...written.metadata,
      $correlationId: written.metadata.correlationId,
      $causationId: written.metadata.causationId,
    });
  });

  it('reads back exactly the metadata written, with revision and position from ESDB', async () => {
    const stream = freshStream();
    const written = [event('A', { n: 1 }), event('B', { n: 2 })];
    const result = await store.append(stream, written, 'no_stream');

    const read = await store.readStream(stream);
    expect(read.map((e) => e.metadata)).toEqual(written.map((e) => e.metadata));
    expect(read.map((e) => e.streamRevision)).toEqual([0n, 1n]);
    const onDisk = double.events().filter((e) => e.streamName === stream);
    expect(read.map((e) => e.position.commit)).toEqual(onDisk.map((e) => e.position));
    expect(result).toEqual({ nextExpectedRevision: 1n, position: read[1]!.position });
  });

  it('answers a retried append with the stored duplicate position, even though ESDB sends none', async () => {
    const stream = freshStream();
    const batch = [event('A'), event('B')];
    const first = await store.append(stream, batch, 'no_stream');
    await store.append(stream, [event('C')], 1n);

    const retried = await store.append(stream, batch, 'no_stream');

    expect(retried).toEqual(first);
    expect(double.events().filter((e) => e.streamName === stream)).toHaveLength(3);
  });

  it('rejects a batch that only partly repeats stored events as a conflict, writing nothing', async () => {
    const stream = freshStream();
    const [a, b] = [event('A'), event('B')];
    await store.append(stream, [a, b], 'no_stream');

    const overlap = store.append(stream, [a, event('Other')], 'no_stream');

    await expect(overlap).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(overlap).rejects.toMatchObject({ stream, expected: 'no_stream', actual: 1n });
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('follows ESDB where it is laxer than the contract: ids are only checked when a replay is possible', async () => {
    const stream = freshStream();
    const [first, second] = [event('A'), event('B')];
    await store.append(stream, [first, second], 'no_stream');

    // `any` with every id already stored, in any order, is a replay answered with the last id's revision.
    expect((await store.append(stream, [second, first], 'any')).nextExpectedRevision).toBe(0n);
    // `any` with a known first id and an unknown later one is corrupted idempotency: a conflict.
    await expect(store.append(stream, [second, event('New')], 'any')).rejects.toMatchObject({ actual: 1n });
    // At the current revision nothing is checked, so a repeated id is written again.
    await store.append(stream, [second], 1n);
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'B']);
  });

  it('maps every expected-revision form, reporting -1n for a stream that does not exist', async () => {
    const stream = freshStream();
    await expect(store.append(stream, [event('A')], 'stream_exists')).rejects.toMatchObject({
      name: 'WrongExpectedRevisionError',
      actual: -1n,
    });
    await expect(store.append(stream, [event('A')], 0n)).rejects.toMatchObject({ actual: -1n, expected: 0n });
    await store.append(stream, [event('A')], 'no_stream');
    await store.append(stream, [event('B')], 'stream_exists');
    await store.append(stream, [event('C')], 'any');
    await store.append(stream, [event('D')], 2n);
    await expect(store.append(stream, [event('E')], 2n)).rejects.toMatchObject({ actual: 3n, expected: 2n });
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('hides system events from readAll, also when they fill whole pages', async () => {
    const stream = freshStream();
    const start = await store.append(stream, [event('First')], 'no_stream');
    for (let i = 0; i < 5; i += 1) double.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    await store.append(stream, [event('Second')], 0n);
    double.appendSystemEvent('$$' + stream, '$metadata');
    await store.append(stream, [event('Third')], 1n);

    const page = await store.readAll({ after: start.position, maxCount: 2 });
    expect(page.map((e) => e.type)).toEqual(['Second', 'Third']);

    const everything = await store.readAll({ maxCount: 10_000 });
    expect(everything.every((e) => !e.type.startsWith('$') && !e.streamName.startsWith('$'))).toBe(true);
  });

  it('pages readAll strictly after the given position, one event at a time', async () => {
    const before = (await store.readAll({ maxCount: 10_000 })).at(-1)?.position;
    const stream = freshStream();
    await store.append(stream, [event('A'), event('B'), event('C')], 'no_stream');

    const seen: string[] = [];
    let after = before;
    // Bounded, so a page that repeats its cursor fails the test instead of spinning forever.
    for (let pages = 0; pages < 500; pages += 1) {
      const page = await store.readAll(after ? { after, maxCount: 1 } : { maxCount: 1 });
      const [only] = page;
      if (!only) break;
      if (only.streamName === stream) seen.push(only.type);
      after = only.position;
    }
    expect(seen).toEqual(['A', 'B', 'C']);
  });

  it('subscribes from the middle of the log and skips system events live', async () => {
    const stream = freshStream();
    const mid = await store.append(stream, [event('A')], 'no_stream');
    const received = firstValueFrom(store.subscribe({ after: mid.position }).pipe(take(2), toArray()));
    double.appendSystemEvent('$settings', '$settings');
    await store.append(stream, [event('B')], 0n);
    await store.append(stream, [event('C')], 1n);

    expect((await received).map((e) => e.type)).toEqual(['B', 'C']);
  });
});
