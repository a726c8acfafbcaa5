import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.ts';
import { readWholeLog } from '../support/whole-log.ts';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type ExpectedRevision,
} from '../../src/adapters/eventstore/port.ts';
import {
  comparePositions,
  type EventToAppend,
  type GlobalPosition,
  type RecordedEvent,
} from '../../src/domain/shared/messages.ts';

export type OpenedEventStore = { readonly store: EventStore; close(): Promise<void> };

/** Knobs for backends that differ; each is named for what differs, never a copy of the suite. */
export type EventStoreContractOptions = {
  /** How long a subscriber may take to deliver an appended event. Default 10 s. */
  readonly deliveryTimeoutMs?: number;
  /** Size of the concurrent-appenders test. Defaults: 8 writers × 50 appends each. */
  readonly concurrentWriters?: number;
  readonly appendsPerWriter?: number;
  /**
   * EventStoreDB checks event ids only when an append could be a replay: one at the stream's current
   * revision is written without looking at its ids, and `any` treats a batch whose ids are all stored
   * (in any order) as a replay. Set it to skip the two overlap cases that need a stricter check.
   */
  readonly idsCheckedOnlyOnReplay?: boolean;
};

/**
 * The behaviour every EventStore backend must share. One store serves the whole suite, so each
 * test writes to streams of its own and ignores other tests' events when reading the global log.
 */
export function eventStoreContract(
  backendName: string,
  open: () => Promise<OpenedEventStore>,
  options: EventStoreContractOptions = {},
): void {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 10_000;
  const writers = options.concurrentWriters ?? 8;
  const appendsPerWriter = options.appendsPerWriter ?? 50;

  describe(`event store contract (${backendName})`, () => {
    let opened: OpenedEventStore;
    let store: EventStore;
    const liveSubscriptions: Subscription[] = [];

    beforeAll(async () => {
      console.log(`event store contract: running on ${backendName}`);
      opened = await open();
      store = opened.store;
    });
    afterEach(() => {
      for (const subscription of liveSubscriptions.splice(0)) subscription.unsubscribe();
    });
    afterAll(async () => {
      await opened?.close();
    });

    /** Subscribes and records everything delivered, failing the test on an error. */
    function follow(after?: GlobalPosition) {
      const received: RecordedEvent[] = [];
      const errors: unknown[] = [];
      const subscription = store.subscribe(after === undefined ? {} : { after }).subscribe({
        next: (event) => received.push(event),
        error: (error: unknown) => errors.push(error),
      });
      liveSubscriptions.push(subscription);
      const of = (streams: readonly string[]) => received.filter((event) => streams.includes(event.streamName));
      return { received, errors, subscription, of };
    }

    async function waitUntil(condition: () => boolean, what: string): Promise<void> {
      const deadline = Date.now() + deliveryTimeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${deliveryTimeoutMs} ms waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }

    describe('appending with an expected revision', () => {
      it('no_stream creates the stream at revisions 0, 1, …', async () => {
        const stream = aStream();
        const result = await store.append(stream, [anEvent(), anEvent()], 'no_stream');
        expect(result.nextExpectedRevision).toBe(1n);
        expect((await store.readStream(stream)).map((event) => event.streamRevision)).toEqual([0n, 1n]);
      });

      it('no_stream on an existing stream conflicts and reports the actual revision', async () => {
        const stream = aStream();
        await store.append(stream, [anEvent(), anEvent()], 'no_stream');
        await expectConflict(store.append(stream, [anEvent()], 'no_stream'), stream, 'no_stream', 1n);
      });

      it('stream_exists appends to an existing stream and conflicts with -1 on a missing one', async () => {
        const stream = aStream();
        await expectConflict(store.append(stream, [anEvent()], 'stream_exists'), stream, 'stream_exists', -1n);
        expect(await store.readStream(stream)).toEqual([]);

        await store.append(stream, [anEvent()], 'no_stream');
        const result = await store.append(stream, [anEvent()], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('any appends whether or not the stream exists', async () => {
        const stream = aStream();
        expect((await store.append(stream, [anEvent()], 'any')).nextExpectedRevision).toBe(0n);
        expect((await store.append(stream, [anEvent(), anEvent()], 'any')).nextExpectedRevision).toBe(2n);
      });

      it('an exact revision appends only when it is the last revision', async () => {
        const stream = aStream();
        await store.append(stream, [anEvent(), anEvent(), anEvent()], 'no_stream');
        await expectConflict(store.append(stream, [anEvent()], 1n), stream, 1n, 2n);
        await expectConflict(store.append(stream, [anEvent()], 3n), stream, 3n, 2n);
        await expectConflict(store.append(aStream(), [anEvent()], 0n), undefined, 0n, -1n);

        const result = await store.append(stream, [anEvent()], 2n);
        expect(result.nextExpectedRevision).toBe(3n);
      });

      it('a rejected append writes nothing', async () => {
        const stream = aStream();
        const first = anEvent();
        await store.append(stream, [first], 'no_stream');
        await expectConflict(store.append(stream, [anEvent(), anEvent()], 5n), stream, 5n, 0n);
        expect((await store.readStream(stream)).map(eventIdOf)).toEqual([first.metadata.eventId]);
      });

      it('revisions and positions are bigints all the way through', async () => {
        const stream = aStream();
        let expected: ExpectedRevision = 'no_stream';
        for (let i = 0; i < 3; i++) {
          const result = await store.append(stream, [anEvent()], expected);
          expect(typeof result.nextExpectedRevision).toBe('bigint');
          expect(typeof result.position.commit).toBe('bigint');
          expect(typeof result.position.prepare).toBe('bigint');
          expected = result.nextExpectedRevision;
        }
        expect(expected).toBe(2n);
        const [last] = await store.readStream(stream, { fromRevision: 2n });
        expect(typeof last?.streamRevision).toBe('bigint');
        expect(last?.streamRevision).toBe(2n);
      });
    });

    describe('retrying an append (idempotency by eventId)', () => {
      it('a retry with the same expected revision writes once and returns the original result', async () => {
        const stream = aStream();
        const batch = [anEvent(), anEvent()];
        const original = await store.append(stream, batch, 'no_stream');
        const retry = await store.append(stream, batch, 'no_stream');

        expect(retry).toEqual(original);
        expect((await store.readStream(stream)).map(eventIdOf)).toEqual(batch.map((event) => event.metadata.eventId));
        const inGlobalLog = (await readLogThrough(store, 500, original.position)).filter((event) => event.streamName === stream);
        expect(inGlobalLog).toHaveLength(2);
      });

      it('a retry after the stream moved on still succeeds without writing', async () => {
        const stream = aStream();
        await store.append(stream, [anEvent()], 'no_stream');
        const batch = [anEvent(), anEvent()];
        const original = await store.append(stream, batch, 0n);
        await store.append(stream, [anEvent()], 2n);

        expect(await store.append(stream, batch, 0n)).toEqual(original);
        expect(await store.append(stream, batch, 'any')).toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(4);
      });

      it('a batch that only partly matches stored events is a conflict', async () => {
        const stream = aStream();
        const [first, second] = [anEvent(), anEvent()];
        await store.append(stream, [first, second], 'no_stream');

        if (!options.idsCheckedOnlyOnReplay) {
          await expectConflict(store.append(stream, [second, anEvent()], 1n), stream, 1n, 1n);
        }
        await expectConflict(store.append(stream, [first, anEvent()], 'no_stream'), stream, 'no_stream', 1n);
        if (!options.idsCheckedOnlyOnReplay) {
          await expectConflict(store.append(stream, [second, first], 'any'), stream, 'any', 1n);
        }
        expect((await store.readStream(stream)).map(eventIdOf)).toEqual([first.metadata.eventId, second.metadata.eventId]);
      });
    });

    describe('reading', () => {
      it('reads a stream from a revision, at most maxCount events', async () => {
        const stream = aStream();
        const batch = Array.from({ length: 6 }, (_, n) => anEvent({ n }));
        await store.append(stream, batch, 'no_stream');

        const page = await store.readStream(stream, { fromRevision: 2n, maxCount: 3 });
        expect(page.map((event) => event.streamRevision)).toEqual([2n, 3n, 4n]);
        expect(page.map((event) => event.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
        expect(await store.readStream(stream, { fromRevision: 6n })).toEqual([]);
      });

      it('reads a missing stream as an empty array', async () => {
        expect(await store.readStream(aStream())).toEqual([]);
      });

      it('returns type, data and every metadata field exactly as appended', async () => {
        const stream = aStream();
        const event = anEvent(
          { callId: 'c-1', nested: { list: [1, 'two', null, { three: true }] }, price: { amount: 1234, currency: 'EUR' }, note: 'Grüße ☎' },
          { type: 'CallRated', tenantId: 'tenant-metadata', actor: 'apikey:k-9', schemaVersion: 3 },
        );
        const { position } = await store.append(stream, [event], 'no_stream');

        const [fromStream] = await store.readStream(stream);
        const fromLog = (await readLogThrough(store, 500, position)).find((recorded) => recorded.streamName === stream);
        for (const recorded of [fromStream, fromLog]) {
          expect(recorded).toBeDefined();
          expect(recorded?.type).toBe('CallRated');
          expect(recorded?.data).toEqual(event.data);
          expect(recorded?.metadata).toEqual(event.metadata);
          expect(recorded?.streamName).toBe(stream);
          expect(recorded?.streamRevision).toBe(0n);
        }
        expect(fromLog?.position).toEqual(fromStream?.position);
      });

      it('reads the global log in append order, a page at a time, `after` being exclusive', async () => {
        const streams = [aStream(), aStream(), aStream()];
        const appended: string[] = [];
        let lastPosition: GlobalPosition | undefined;
        for (let round = 0; round < 2; round++) {
          for (const stream of streams) {
            const event = anEvent({ round });
            lastPosition = (await store.append(stream, [event], 'any')).position;
            appended.push(event.metadata.eventId);
          }
        }

        const log = await readLogThrough(store, 2, lastPosition);
        expectStrictlyIncreasing(log.map((event) => event.position));
        const ours = log.filter((event) => streams.includes(event.streamName));
        expect(ours.map(eventIdOf)).toEqual(appended);

        const afterSecond = await store.readAll({ after: ours[1]!.position, maxCount: 1 });
        expect(afterSecond.map(eventIdOf)).toEqual([appended[2]]);
        const afterLast = await store.readAll({ after: ours[ours.length - 1]!.position });
        expect(afterLast.filter((event) => streams.includes(event.streamName))).toEqual([]);
      });
    });

    describe('subscribing', () => {
      it('catches up on history, then delivers live appends', async () => {
        const stream = aStream();
        await store.append(stream, [anEvent(), anEvent(), anEvent()], 'no_stream');
        const subscriber = follow();
        await waitUntil(() => subscriber.of([stream]).length >= 3, 'history is delivered');

        await store.append(stream, [anEvent(), anEvent()], 2n);
        await waitUntil(() => subscriber.of([stream]).length >= 5, 'live appends are delivered');

        expect(subscriber.of([stream]).map((event) => event.streamRevision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expectStrictlyIncreasing(subscriber.received.map((event) => event.position));
        expect(subscriber.errors).toEqual([]);
      });

      it('starts strictly after a given position', async () => {
        const stream = aStream();
        await store.append(stream, Array.from({ length: 5 }, () => anEvent()), 'no_stream');
        const history = await store.readStream(stream);
        const subscriber = follow(history[2]!.position);
        await waitUntil(() => subscriber.of([stream]).length >= 2, 'events after the start position arrive');

        await store.append(stream, [anEvent()], 4n);
        await waitUntil(() => subscriber.of([stream]).length >= 3, 'a live append arrives');

        expect(subscriber.of([stream]).map((event) => event.streamRevision)).toEqual([3n, 4n, 5n]);
        expect(subscriber.received.every((event) => comparePositions(event.position, history[2]!.position) > 0)).toBe(true);
        expect(subscriber.errors).toEqual([]);
      });

      it('delivers nothing more after unsubscribing', async () => {
        const stream = aStream();
        const first = await store.append(stream, [anEvent()], 'no_stream');
        const stopped = follow();
        await waitUntil(() => stopped.of([stream]).length === 1, 'the first event arrives');
        stopped.subscription.unsubscribe();

        await store.append(stream, [anEvent(), anEvent()], 0n);
        // A second subscriber seeing the new events proves they were announced and deliverable.
        const witness = follow(first.position);
        await waitUntil(() => witness.of([stream]).length === 2, 'the witness sees the later events');

        expect(stopped.of([stream]).map((event) => event.streamRevision)).toEqual([0n]);
      });

      it(
        'concurrent appenders: a subscriber gets every committed event exactly once, in order',
        async () => {
          const ownStreams = Array.from({ length: writers }, () => aStream('writer'));
          const sharedStreams = [aStream('shared'), aStream('shared')];
          const allStreams = [...ownStreams, ...sharedStreams];
          const committed = new Set<string>();
          const subscriber = follow();

          const writer = async (index: number) => {
            const known = new Map<string, ExpectedRevision>();
            for (let i = 0; i < appendsPerWriter; i++) {
              const stream = i % 2 === 0 ? ownStreams[index]! : sharedStreams[(index + i) % 2]!;
              const batch = Array.from({ length: (i % 3) + 1 }, () => anEvent({ writer: index, i }));
              // Optimistic concurrency as a command handler does it: retry from the reported revision.
              for (;;) {
                try {
                  const result = await store.append(stream, batch, known.get(stream) ?? 'no_stream');
                  known.set(stream, result.nextExpectedRevision);
                  break;
                } catch (error) {
                  if (!(error instanceof WrongExpectedRevisionError)) throw error;
                  known.set(stream, error.actual === -1n ? 'no_stream' : error.actual);
                }
              }
              for (const event of batch) committed.add(event.metadata.eventId);
            }
          };
          await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));

          await waitUntil(() => subscriber.of(allStreams).length >= committed.size, 'every committed event is delivered');
          const delivered = subscriber.of(allStreams);
          const deliveredIds = delivered.map(eventIdOf);
          expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
          expect(new Set(deliveredIds)).toEqual(committed);
          expectStrictlyIncreasing(subscriber.received.map((event) => event.position));
          for (const stream of allStreams) {
            const revisions = delivered.filter((event) => event.streamName === stream).map((event) => event.streamRevision);
            expect(revisions).toEqual(revisions.map((_, index) => BigInt(index)));
          }
          const log = (await readLogThrough(store, 250)).filter((event) => allStreams.includes(event.streamName));
          expect(log.map(eventIdOf)).toEqual(deliveredIds);
          expect(subscriber.errors).toEqual([]);
        },
        120_000,
      );
    });
  });
}

/** Every event in the global log, read page by page the way a catching-up consumer would. */
/**
 * The whole log as readAll pages it. On Postgres an event becomes readable only once every
 * transaction older than it has finished, cluster-wide, so a long transaction elsewhere (another
 * test file, another database) delays it without losing it; `through` waits for the last append.
 */
async function readLogThrough(store: EventStore, pageSize = 500, through?: GlobalPosition): Promise<RecordedEvent[]> {
  return poll('the appended events to become readable', async () => {
    const all = await readWholeLog(store, pageSize);
    const last = all.at(-1)?.position;
    const caughtUp = through === undefined || (last !== undefined && comparePositions(last, through) >= 0);
    return caughtUp ? all : null;
  });
}

async function expectConflict(
  attempt: Promise<unknown>,
  stream: string | undefined,
  expected: ExpectedRevision,
  actual: bigint,
): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  const conflict = error as WrongExpectedRevisionError;
  expect(conflict.actual).toBe(actual);
  expect(conflict.expected).toBe(expected);
  if (stream !== undefined) expect(conflict.stream).toBe(stream);
}

function expectStrictlyIncreasing(positions: readonly GlobalPosition[]): void {
  for (let i = 1; i < positions.length; i++) {
    if (comparePositions(positions[i - 1]!, positions[i]!) >= 0) {
      throw new Error(`positions out of order at index ${i}: ${show(positions[i - 1]!)} then ${show(positions[i]!)}`);
    }
  }
}

function show(position: GlobalPosition): string {
  return `(${position.commit}, ${position.prepare})`;
}

function aStream(category = 'contract'): string {
  return `${category}-${randomUUID()}`;
}

function eventIdOf(event: { metadata: { eventId: string } }): string {
  return event.metadata.eventId;
}

function anEvent(
  data: Record<string, unknown> = {},
  overrides: { type?: string; tenantId?: string; actor?: string; schemaVersion?: number } = {},
): EventToAppend {
  const eventId = randomUUID();
  return {
    type: overrides.type ?? 'ContractEventRecorded',
    data,
    metadata: {
      eventId,
      correlationId: `corr-${eventId}`,
      causationId: `cause-${eventId}`,
      tenantId: overrides.tenantId ?? 'tenant-contract',
      actor: overrides.actor ?? 'system:contract',
      occurredAt: '2026-01-01T10:00:00.000Z',
      schemaVersion: overrides.schemaVersion ?? 1,
    },
  };
}
