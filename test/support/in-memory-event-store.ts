import { Observable } from 'rxjs';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
} from '../../src/adapters/eventstore/port.ts';
import {
  comparePositions,
  START_POSITION,
  type EventToAppend,
  type GlobalPosition,
  type RecordedEvent,
} from '../../src/domain/shared/messages.ts';

/**
 * A test double of the event store port: everything in one array, positions {commit: n, prepare: n}.
 * It follows the port's documented semantics so unit tests of handlers and runners need no database.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly listeners = new Set<() => void>();
  /** Flip to make every call reject, as an unreachable backend would. */
  unavailable = false;

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertAvailable();
    const existing = this.streams.get(stream) ?? [];
    const duplicate = this.findDuplicate(stream, existing, events);
    if (duplicate) return duplicate;
    const actual = BigInt(existing.length) - 1n;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === -1n) ||
      (expected === 'stream_exists' && actual >= 0n) ||
      (typeof expected === 'bigint' && expected === actual);
    if (!ok) throw new WrongExpectedRevisionError(stream, expected, actual);
    const recorded = events.map((event, index) => {
      const sequence = BigInt(this.log.length + index + 1);
      return {
        ...event,
        streamName: stream,
        streamRevision: BigInt(existing.length + index),
        position: { commit: sequence, prepare: sequence },
      } as RecordedEvent;
    });
    this.log.push(...recorded);
    this.streams.set(stream, [...existing, ...recorded]);
    for (const listener of this.listeners) listener();
    const last = recorded.at(-1);
    return {
      nextExpectedRevision: last ? last.streamRevision : actual,
      position: last ? last.position : (existing.at(-1)?.position ?? START_POSITION),
    };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertAvailable();
    const from = Number(options.fromRevision ?? 0n);
    const events = (this.streams.get(stream) ?? []).slice(from);
    return options.maxCount === undefined ? events : events.slice(0, options.maxCount);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertAvailable();
    return this.after(options.after ?? START_POSITION).slice(0, options.maxCount ?? 1000);
  }

  subscribe(options: SubscribeOptions = {}): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      let cursor: GlobalPosition = options.after ?? START_POSITION;
      const drain = (): void => {
        for (const event of this.after(cursor)) {
          if (subscriber.closed) return;
          cursor = event.position;
          subscriber.next(event);
        }
      };
      this.listeners.add(drain);
      queueMicrotask(drain);
      return () => this.listeners.delete(drain);
    });
  }

  async ping(): Promise<void> {
    this.assertAvailable();
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /** Test hook: every event ever appended, in global order. */
  all(): readonly RecordedEvent[] {
    return this.log;
  }

  private after(position: GlobalPosition): RecordedEvent[] {
    return this.log.filter((event) => comparePositions(event.position, position) > 0);
  }

  private findDuplicate(stream: string, existing: RecordedEvent[], events: readonly EventToAppend[]): AppendResult | null {
    const first = events[0];
    if (!first) return null;
    const at = existing.findIndex((event) => event.metadata.eventId === first.metadata.eventId);
    if (at === -1) return null;
    const stored = existing.slice(at, at + events.length);
    const same =
      stored.length === events.length && stored.every((event, i) => event.metadata.eventId === events[i]?.metadata.eventId);
    if (!same) throw new WrongExpectedRevisionError(stream, 'any', BigInt(existing.length) - 1n);
    const last = stored.at(-1)!;
    return { nextExpectedRevision: last.streamRevision, position: last.position };
  }

  private assertAvailable(): void {
    if (this.unavailable) throw new EventStoreUnavailableError('in-memory event store marked unavailable');
  }
}
