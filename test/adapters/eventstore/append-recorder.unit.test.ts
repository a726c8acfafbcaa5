import { describe, expect, it } from 'vitest';
import { AppendRecorder } from '../../../src/adapters/eventstore/append-recorder.ts';
import type { EventToAppend, GlobalPosition } from '../../../src/domain/shared/messages.ts';
import { InMemoryEventStore } from '../../support/in-memory-event-store.ts';

const event = (id: string): EventToAppend => ({
  type: 'Noted',
  data: {},
  metadata: { eventId: id, correlationId: 'c', causationId: 'c', tenantId: 't', actor: 'test', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
});

/** Runs `work` in a recording scope and collects what the scope heard. */
function recorded(recorder: AppendRecorder, work: () => Promise<unknown>): { heard: GlobalPosition[]; done: Promise<unknown> } {
  const heard: GlobalPosition[] = [];
  let done!: Promise<unknown>;
  recorder.record(() => (done = work()), (highest) => heard.push(highest));
  return { heard, done };
}

describe('AppendRecorder', () => {
  it('tells each scope only its own appends, however they interleave', async () => {
    const recorder = new AppendRecorder();
    const store = recorder.wrap(new InMemoryEventStore());
    const a = recorded(recorder, async () => {
      await store.append('s-a', [event('a1')], 'no_stream');
      await new Promise((resolve) => setImmediate(resolve));
      await store.append('s-a', [event('a2')], 0n);
    });
    const b = recorded(recorder, () => store.append('s-b', [event('b1')], 'no_stream'));
    await Promise.all([a.done, b.done]);

    expect(a.heard).toEqual([{ commit: 1n, prepare: 1n }, { commit: 3n, prepare: 3n }]);
    expect(b.heard).toEqual([{ commit: 2n, prepare: 2n }]);
  });

  it('reports nothing for appends outside any scope, and never a position lower than one already reported', async () => {
    const recorder = new AppendRecorder();
    const inner = new InMemoryEventStore();
    const store = recorder.wrap(inner);
    await store.append('outside', [event('o1')], 'no_stream');
    const scope = recorded(recorder, async () => {
      await store.append('s', [event('s1')], 'no_stream');
      // An idempotent retry of an older append answers with the older position.
      await store.append('outside', [event('o1')], 'no_stream');
    });
    await scope.done;
    expect(scope.heard).toEqual([{ commit: 2n, prepare: 2n }]);
  });

  it('leaves the rest of the store as it was (reads, and capabilities beyond the port)', async () => {
    const inner = Object.assign(new InMemoryEventStore(), { countEvents: async () => 7 });
    const store = new AppendRecorder().wrap(inner);
    await store.append('s', [event('e1')], 'no_stream');
    expect(await store.readStream('s')).toHaveLength(1);
    expect(await store.countEvents()).toBe(7);
  });
});
