import { describe, expect, it } from 'vitest';
import { LiveTail, type LiveTailSource } from '../../../src/adapters/eventstore/postgres-live-tail.ts';
import { comparePositions, START_POSITION, type GlobalPosition, type RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { poll } from '../../support/poll.ts';

const at = (n: number): GlobalPosition => ({ commit: BigInt(n), prepare: BigInt(n) });

function recorded(n: number): RecordedEvent {
  return {
    streamName: `s-${n}`,
    streamRevision: 0n,
    position: at(n),
    type: 'Noted',
    data: { n },
    metadata: { eventId: `e-${n}`, correlationId: 'c', causationId: 'c', tenantId: 't', actor: 'test', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
  };
}

/**
 * A log in memory with readAll's contract, counting reads. `hold()` makes the next reads wait until
 * released, to put a wake in the middle of a refresh.
 */
class FakeLog implements LiveTailSource {
  readonly events: RecordedEvent[] = [];
  reads = 0;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  append(...numbers: number[]): void {
    for (const n of numbers) this.events.push(recorded(n));
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.gate = null;
    this.open?.();
  }

  async headPosition(): Promise<GlobalPosition> {
    return this.events.at(-1)?.position ?? START_POSITION;
  }

  async readAll(options: { after: GlobalPosition; maxCount?: number }): Promise<RecordedEvent[]> {
    this.reads++;
    // The snapshot is taken when the read starts, as a statement's is.
    const snapshot = this.events.filter((event) => comparePositions(event.position, options.after) > 0).slice(0, options.maxCount ?? 1000);
    if (this.gate) await this.gate;
    return snapshot;
  }
}

const numbers = (events: readonly RecordedEvent[]) => events.map((event) => (event.data as { n: number }).n);

describe('LiveTail', () => {
  it('serves subscribers within what it holds from memory, and reads the database for the others', async () => {
    const log = new FakeLog();
    log.append(1, 2);
    const tail = new LiveTail(log, { capacity: 100, pageSize: 50 });
    let advances = 0;
    tail.onAdvance(() => advances++);
    tail.wake();
    await poll('the tail at the head', async () => log.reads >= 1);
    log.append(3, 4, 5);
    tail.wake();
    await poll('the tail to advance', async () => advances === 1);

    const reads = log.reads;
    expect(numbers(await tail.read({ after: at(2), maxCount: 10 }))).toEqual([3, 4, 5]);
    expect(numbers(await tail.read({ after: at(3), maxCount: 1 }))).toEqual([4]);
    expect(await tail.read({ after: at(5), maxCount: 10 })).toEqual([]);
    expect(log.reads).toBe(reads);

    // Before where the tail started: only the database has it.
    expect(numbers(await tail.read({ after: START_POSITION, maxCount: 10 }))).toEqual([1, 2, 3, 4, 5]);
    expect(log.reads).toBe(reads + 1);
  });

  it('reads once more when a wake comes during a refresh, so an append it raced is not missed', async () => {
    const log = new FakeLog();
    const tail = new LiveTail(log, { capacity: 100, pageSize: 50 });
    tail.wake();
    await poll('the tail at the head', async () => log.reads >= 1);

    log.hold();
    tail.wake();
    await poll('a refresh in flight', async () => log.reads >= 2);
    // Appended after that refresh took its snapshot; its wake arrives while the refresh runs.
    log.append(7);
    for (let i = 0; i < 5; i++) tail.wake();
    log.release();

    await poll('the tail to hold event 7', async () => (await tail.read({ after: START_POSITION, maxCount: 10 })).length === 1);
    const reads = log.reads;
    expect(numbers(await tail.read({ after: START_POSITION, maxCount: 10 }))).toEqual([7]);
    // Served from memory now: the tail started at the empty log's head.
    expect(log.reads).toBe(reads);
    // Five wakes during one refresh cost one more refresh, not five.
    expect(reads).toBe(3);
  });

  it('keeps reading pages until a short one, and forgets the oldest events beyond its capacity', async () => {
    const log = new FakeLog();
    const tail = new LiveTail(log, { capacity: 8, pageSize: 4 });
    tail.wake();
    await poll('the tail at the head', async () => log.reads >= 1);
    log.append(...Array.from({ length: 11 }, (_, i) => i + 1));
    let advanced = false;
    tail.onAdvance(() => (advanced = true));
    tail.wake();
    await poll('the tail to advance', async () => advanced);
    // Three pages: 4 + 4 + 3. Eleven events kept in eight slots: the buffer was trimmed to 8.
    const reads = log.reads;
    expect(numbers(await tail.read({ after: at(3), maxCount: 20 }))).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(log.reads).toBe(reads);
    expect(numbers(await tail.read({ after: at(2), maxCount: 2 }))).toEqual([3, 4]);
    expect(log.reads).toBe(reads + 1);
  });

  it('tells nobody and keeps its head when a read fails; the next wake reads again', async () => {
    const log = new FakeLog();
    const tail = new LiveTail(log, { capacity: 100, pageSize: 50 });
    tail.wake();
    await poll('the tail at the head', async () => log.reads >= 1);
    const readAll = log.readAll.bind(log);
    let fail = true;
    log.readAll = async (options) => {
      if (fail) {
        log.reads++;
        throw new Error('database away');
      }
      return readAll(options);
    };
    let advances = 0;
    tail.onAdvance(() => advances++);
    log.append(1);
    tail.wake();
    await poll('the failed read', async () => log.reads >= 2);
    expect(advances).toBe(0);
    // A subscriber at the head now reads the database itself, and meets its error.
    await expect(tail.read({ after: START_POSITION, maxCount: 10 })).rejects.toThrow('database away');
    fail = false;
    tail.wake();
    await poll('the tail to advance', async () => advances === 1);
    expect(numbers(await tail.read({ after: START_POSITION, maxCount: 10 }))).toEqual([1]);
  });
});
