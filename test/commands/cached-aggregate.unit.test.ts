import { describe, expect, it } from 'vitest';
import type { AppendResult, EventStore, ExpectedRevision } from '../../src/adapters/eventstore/port.ts';
import { CachedAggregate } from '../../src/commands/billing/cached-aggregate.ts';
import type { EventCodec } from '../../src/commands/command-handler.ts';
import type { CommandContext, Decider } from '../../src/commands/decider.ts';
import type { EventToAppend, RecordedEvent } from '../../src/domain/shared/messages.ts';
import { InMemoryEventStore } from '../support/in-memory-event-store.ts';

/**
 * A tally: `Take` claims the next number and is refused past `limit` (as a campaign refuses a
 * claim beyond its limit), `Poison` decides an event the store below refuses to write.
 */
type Tally = { taken: number[] };
type TallyCommand = { type: 'Take'; data: { number: number } } | { type: 'Poison'; data: Record<string, never> } | { type: 'Noop'; data: Record<string, never> };
type TallyEvent = { type: 'Taken'; data: { number: number } } | { type: 'Poisoned'; data: Record<string, never> };

const limit = 5;

function tallyDecider(inPlace: boolean): Decider<Tally, TallyCommand, TallyEvent> {
  return {
    initialState: () => ({ taken: [] }),
    evolve: (state, event) => {
      if (event.type !== 'Taken') return state;
      if (inPlace) {
        state.taken.push(event.data.number);
        return state;
      }
      return { taken: [...state.taken, event.data.number] };
    },
    decide: (command, state) => {
      if (command.type === 'Noop') return [];
      if (command.type === 'Poison') return [{ type: 'Poisoned', data: {} }];
      if (state.taken.includes(command.data.number)) return [];
      if (state.taken.length >= limit) throw new Error(`full: ${command.data.number} refused`);
      return [{ type: 'Taken', data: { number: command.data.number } }];
    },
  };
}

const codec: EventCodec<TallyEvent> = {
  decode: (recorded) => ({ type: recorded.type, data: recorded.data }) as TallyEvent,
  encode: (event) => ({ event, schemaVersion: 1 }),
};

const context: CommandContext = { now: new Date('2026-12-03T10:00:00.000Z'), tenantId: 't', actor: 'test', correlationId: 'c', causationId: 'c' };
const take = (number: number): TallyCommand => ({ type: 'Take', data: { number } });
const stream = 'tally-1';

/** Counts appends, holds them at a gate on request, and refuses any batch holding a Poisoned event. */
class WatchedStore extends InMemoryEventStore {
  appends: number[] = [];
  reads = 0;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.gate = null;
    this.open?.();
  }

  /** Another process's append: no gate, not counted. */
  appendBehind(name: string, numbers: number[], expected: ExpectedRevision): Promise<AppendResult> {
    const events = numbers.map((number) => ({
      type: 'Taken',
      data: { number },
      metadata: { eventId: `other-${number}`, correlationId: 'o', causationId: 'o', tenantId: 't', actor: 'other', occurredAt: context.now.toISOString(), schemaVersion: 1 },
    }));
    return super.append(name, events, expected);
  }

  override async readStream(...args: Parameters<InMemoryEventStore['readStream']>): ReturnType<InMemoryEventStore['readStream']> {
    this.reads++;
    return super.readStream(...args);
  }

  override async append(name: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.appends.push(events.length);
    if (this.gate) await this.gate;
    if (events.some((event) => event.type === 'Poisoned')) throw new Error('the store refuses poison');
    return super.append(name, events, expected);
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

const numbersIn = async (store: EventStore) => (await store.readStream(stream)).map((event: RecordedEvent) => (event.data as { number: number }).number);

for (const inPlace of [false, true]) {
  const aggregate = (store: EventStore) => new CachedAggregate(store, tallyDecider(inPlace), codec, { persistentState: !inPlace });

  describe(`CachedAggregate batches (evolve ${inPlace ? 'in place' : 'persistent'})`, () => {
    it('appends the commands that came during an append together, each with its own answer', async () => {
      const store = new WatchedStore();
      const tally = aggregate(store);
      store.hold();
      const first = tally.handle(stream, take(1), context);
      await new Promise((resolve) => setImmediate(resolve));
      const later = [2, 3, 4].map((number) => tally.handle(stream, take(number), context));
      const again = tally.handle(stream, take(2), context);
      store.release();
      const [one, ...rest] = await Promise.all([first, ...later, again]);

      expect(store.appends).toEqual([1, 3]);
      expect(await numbersIn(store)).toEqual([1, 2, 3, 4]);
      expect(one!.appended.map((event) => event.data)).toEqual([{ number: 1 }]);
      expect(rest.slice(0, 3).map((result) => result.appended.map((event) => event.data))).toEqual([[{ number: 2 }], [{ number: 3 }], [{ number: 4 }]]);
      // Decided after 2 was, in the same batch: a no-op, with no position of its own.
      expect(rest[3]!.appended).toEqual([]);
      expect(rest[3]!.position).toBeNull();
      // Each answer carries the state its own command left and the batch's position.
      expect(rest[0]!.state.taken).toEqual(inPlace ? [1, 2, 3, 4] : [1, 2]);
      expect(rest[2]!.state.taken).toEqual([1, 2, 3, 4]);
      const last = (await store.readStream(stream)).at(-1)!;
      expect(rest[0]!.position).toEqual(last.position);
      expect(rest[2]!.position).toEqual(last.position);
      // Each event carries its own command's metadata and an id of its own.
      const ids = (await store.readStream(stream)).map((event) => event.metadata.eventId);
      expect(new Set(ids).size).toBe(4);
    });

    it('fails only the command the decider refuses; the rest of its batch is appended', async () => {
      const store = new WatchedStore();
      const tally = aggregate(store);
      await tally.handle(stream, take(1), context);
      store.hold();
      const blocker = tally.handle(stream, take(2), context);
      await new Promise((resolve) => setImmediate(resolve));
      // 3, 4 and 5 fill the tally; 6 is refused; 7 is refused too, and the no-op still answers.
      const results = [3, 4, 5, 6, 7].map((number) => tally.handle(stream, take(number), context).then(
        (result) => result.appended.length,
        (error: Error) => error.message,
      ));
      const noop = tally.handle(stream, { type: 'Noop', data: {} }, context);
      store.release();
      await blocker;
      expect(await Promise.all(results)).toEqual([1, 1, 1, 'full: 6 refused', 'full: 7 refused']);
      expect((await noop).appended).toEqual([]);
      expect(store.appends).toEqual([1, 1, 3]);
      expect(await numbersIn(store)).toEqual([1, 2, 3, 4, 5]);
    });

    it('builds a command from the state the commands before it in the batch left', async () => {
      const store = new WatchedStore();
      const tally = aggregate(store);
      store.hold();
      const first = tally.handle(stream, take(1), context);
      await new Promise((resolve) => setImmediate(resolve));
      const next = (state: Tally) => take(state.taken.length + 1);
      const built = [tally.handle(stream, next, context), tally.handle(stream, next, context), tally.handle(stream, next, context)];
      store.release();
      await Promise.all([first, ...built]);
      expect(await numbersIn(store)).toEqual([1, 2, 3, 4]);
      expect(store.appends).toEqual([1, 3]);
    });

    it('decides a batch again on the fresh tail after another process appended in between', async () => {
      const store = new WatchedStore();
      const tally = aggregate(store);
      await tally.handle(stream, take(1), context);
      store.hold();
      const batch = [2, 3, 4].map((number) => tally.handle(stream, take(number), context).then(
        (result) => result.appended.length,
        (error: Error) => error.message,
      ));
      await until(() => store.appends.length === 2);
      // While the batch's append waits: another process takes 3, 8 and 9.
      await store.appendBehind(stream, [3, 8, 9], 0n);
      store.release();
      // 2 fits (the fifth number), 3 is already taken, 4 finds the tally full.
      expect(await Promise.all(batch)).toEqual([1, 0, 'full: 4 refused']);
      expect(await numbersIn(store)).toEqual([1, 3, 8, 9, 2]);
      expect(store.appends).toEqual([1, 3, 1]);
      expect((await tally.load(stream)).state.taken).toEqual([1, 3, 8, 9, 2]);
    });

    it('decides on its cached state without reading the stream, until another process is found writing to it', async () => {
      const store = new WatchedStore();
      const tally = aggregate(store);
      await tally.handle(stream, take(1), context);
      await tally.handle(stream, take(2), context);
      // Read once, to fold the stream the first time.
      expect(store.reads).toBe(1);
      await store.appendBehind(stream, [3], 1n);
      await tally.handle(stream, take(4), context);
      // Refused on its stale revision, read and decided again: then read before every command.
      expect(store.appends).toEqual([1, 1, 1, 1]);
      expect(store.reads).toBe(2);
      await tally.handle(stream, take(5), context);
      expect(store.reads).toBe(3);
      expect(await numbersIn(store)).toEqual([1, 2, 3, 4, 5]);
    });

    it('tries each command alone when the store refuses their shared append', async () => {
      const store = new WatchedStore();
      const tally = aggregate(store);
      store.hold();
      const first = tally.handle(stream, take(1), context);
      await new Promise((resolve) => setImmediate(resolve));
      const batch = [
        tally.handle(stream, take(2), context),
        tally.handle(stream, { type: 'Poison', data: {} }, context),
        tally.handle(stream, take(3), context),
      ].map((pending) => pending.then(() => 'ok', (error: Error) => error.message));
      store.release();
      await first;
      expect(await Promise.all(batch)).toEqual(['ok', 'the store refuses poison', 'ok']);
      expect(await numbersIn(store)).toEqual([1, 2, 3]);
      // The cached state matches the stream, whether the decider evolves in place or not.
      expect((await tally.load(stream)).state.taken).toEqual([1, 2, 3]);
      expect(store.appends).toEqual([1, 3, 1, 1, 1]);
    });
  });
}
