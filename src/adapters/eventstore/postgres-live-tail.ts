import { comparePositions, type GlobalPosition, type RecordedEvent } from '../../domain/shared/messages.ts';
import type { ReadAllOptions } from './port.ts';

export type LiveTailSource = {
  readAll(options: ReadAllOptions & { after: GlobalPosition }): Promise<RecordedEvent[]>;
  /** The position of the last event readAll can return now (START_POSITION on an empty log). */
  headPosition(): Promise<GlobalPosition>;
};

export type LiveTailSettings = {
  /** Events kept in memory; a subscriber further behind reads the database itself. */
  readonly capacity: number;
  readonly pageSize: number;
};

/**
 * One reader of the log's head per store, shared by every subscription of the process.
 *
 * Without it, every append woke each subscriber (projections and reactors, a dozen per process),
 * and each ran the same readAll on its own. Here a wake starts one refresh — readAll from the
 * tail's head until a short page — and the events it returns are kept, in the order readAll gave
 * them, in a bounded buffer; caught-up subscribers are served from it and only lagging ones read
 * the database.
 *
 * Why serving from the buffer is the same as reading: the buffer is a contiguous run of what
 * readAll returned, (base, head]. readAll only returns events below every in-flight transaction
 * (see postgres-event-store.ts), so once it has returned an event, no event can ever appear before
 * it: the run is final. A subscriber positioned anywhere in [base, head] therefore gets from the
 * buffer exactly the events readAll(after) would give, up to head.
 *
 * No lost wake-ups: a wake that comes while a refresh runs may concern an append that refresh's
 * snapshot predates, so it makes the refresh go round once more when it ends.
 */
export class LiveTail {
  private buffer: RecordedEvent[] = [];
  /** Every event after `base` up to `head` is in the buffer; null until the first head query. */
  private base: GlobalPosition | null = null;
  private head: GlobalPosition | null = null;
  private refreshing: Promise<void> | null = null;
  /** The last refresh failed: subscribers at the head read the database, and meet its error there. */
  private failing = false;
  private again = false;
  private readonly listeners = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly source: LiveTailSource,
    private readonly settings: LiveTailSettings,
  ) {}

  /** Something may have been appended: refresh now, or once more after the refresh running now. */
  wake(): void {
    if (this.stopped) return;
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = this.refresh().finally(() => (this.refreshing = null));
  }

  /** Called after every refresh that found new events. */
  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * readAll with the buffer in front: the events after `after` from memory when `after` lies
   * within what the tail holds, else from the database.
   */
  async read(options: ReadAllOptions & { after: GlobalPosition; maxCount: number }): Promise<RecordedEvent[]> {
    const served = this.serve(options.after, options.maxCount);
    return served ?? this.source.readAll(options);
  }

  stop(): void {
    this.stopped = true;
    this.listeners.clear();
  }

  /** What the buffer holds after `after`, or null when `after` is outside (base, head]. */
  private serve(after: GlobalPosition, maxCount: number): RecordedEvent[] | null {
    const { base, head } = this;
    if (base === null || head === null) return null;
    if (comparePositions(after, base) < 0 || comparePositions(after, head) > 0) return null;
    if (this.failing && comparePositions(after, head) === 0) return null;
    const from = this.firstAfter(after);
    return this.buffer.slice(from, from + maxCount);
  }

  /** Index of the first buffered event strictly after `after` (binary search: positions ascend). */
  private firstAfter(after: GlobalPosition): number {
    let low = 0;
    let high = this.buffer.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (comparePositions(this.buffer[middle]!.position, after) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private async refresh(): Promise<void> {
    let advanced = false;
    try {
      do {
        this.again = false;
        if (this.head === null) {
          // Starts at the log's head: whoever is further back catches up from the database.
          const head = await this.source.headPosition();
          if (this.head === null) this.base = this.head = head;
        }
        for (;;) {
          const page = await this.source.readAll({ after: this.head!, maxCount: this.settings.pageSize });
          if (this.stopped) return;
          if (page.length > 0) {
            this.keep(page);
            advanced = true;
          }
          if (page.length < this.settings.pageSize) break;
        }
      } while (this.again && !this.stopped);
      this.failing = false;
    } catch {
      this.failing = true;
      // The database may be away: the head stays where it was, and the next wake (a poll at the
      // latest) reads again. Meanwhile subscribers at the head read it themselves, so an error that
      // is not passing reaches them instead of leaving them waiting in silence.
    } finally {
      if (advanced && !this.stopped) for (const listener of [...this.listeners]) listener();
    }
  }

  private keep(page: readonly RecordedEvent[]): void {
    for (const event of page) this.buffer.push(event);
    this.head = page.at(-1)!.position;
    // Trimmed a quarter at a time, so a full buffer is not copied on every refresh.
    const excess = this.buffer.length - this.settings.capacity;
    if (excess > this.settings.capacity / 4) {
      this.base = this.buffer[excess - 1]!.position;
      this.buffer = this.buffer.slice(excess);
    }
  }
}
