import { WrongExpectedRevisionError, type EventStore } from '../../adapters/eventstore/port.ts';
import type { DomainEvent, EventToAppend, GlobalPosition } from '../../domain/shared/messages.ts';
import { stampEvent, type EventCodec } from '../command-handler.ts';
import type { CommandContext, Decider } from '../decider.ts';

type Cached<State> = { state: State; revision: bigint };

export type CachedAggregateOptions = {
  readonly newEventId?: () => string;
  /** Conflicts with other processes are retried by reading the stream's new tail; anything else fails at once. */
  readonly maxAttempts?: number;
  /** Streams whose folded state is kept in memory (least recently used are dropped). */
  readonly cacheSize?: number;
};

/**
 * read → decide → append with the expected revision, like CommandHandler, for hot streams such as
 * an account's wallet (every placement and every charge touches it):
 * - commands to one stream are queued in this process, so concurrent requests do not spin on
 *   conflicts with each other; the expected revision still guards against other processes;
 * - the folded state is cached with its revision, and only the events appended since are read.
 * The decider's evolve may update the state it is given in place: the cache holds the only copy.
 */
export class CachedAggregate<State, Cmd, Event extends DomainEvent> {
  private readonly cache = new Map<string, Cached<State>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly newEventId: () => string;
  private readonly maxAttempts: number;
  private readonly cacheSize: number;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<State, Cmd, Event>,
    private readonly codec: EventCodec<Event>,
    options: CachedAggregateOptions = {},
  ) {
    this.newEventId = options.newEventId ?? (() => crypto.randomUUID());
    this.maxAttempts = options.maxAttempts ?? 50;
    this.cacheSize = options.cacheSize ?? 10_000;
  }

  /** The stream's current state. The returned state must be treated as read-only. */
  load(stream: string): Promise<{ state: State; revision: bigint }> {
    return this.serialised(stream, () => this.refresh(stream));
  }

  /** `command` may be built from the current state, inside the stream's queue. */
  handle(
    stream: string,
    command: Cmd | ((state: State) => Cmd),
    context: CommandContext,
  ): Promise<{ appended: ReadonlyArray<EventToAppend<Event>>; state: State; position: GlobalPosition | null }> {
    return this.serialised(stream, async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await this.refresh(stream);
        const resolved = typeof command === 'function' ? (command as (state: State) => Cmd)(current.state) : command;
        const decided = this.decider.decide(resolved, current.state);
        if (decided.length === 0) return { appended: [], state: current.state, position: null };
        const appended = decided.map((event) => this.withMetadata(event, context));
        try {
          const result = await this.store.append(stream, appended, current.revision < 0n ? 'no_stream' : current.revision);
          const state = decided.reduce((s, event) => this.decider.evolve(s, event), current.state);
          this.remember(stream, { state, revision: result.nextExpectedRevision });
          return { appended, state, position: result.position };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= this.maxAttempts) throw error;
        }
      }
    });
  }

  /** Forgets every cached state (tests use it to prove a cold read gives the same answer). */
  clear(): void {
    this.cache.clear();
  }

  private async refresh(stream: string): Promise<Cached<State>> {
    const cached = this.cache.get(stream);
    const from = cached ? cached.revision + 1n : 0n;
    const tail = await this.store.readStream(stream, { fromRevision: from });
    let state = cached?.state ?? this.decider.initialState();
    let revision = cached?.revision ?? -1n;
    try {
      for (const recorded of tail) {
        if (recorded.streamRevision <= revision) continue;
        const event = this.codec.decode(recorded);
        if (event) state = this.decider.evolve(state, event);
        revision = recorded.streamRevision;
      }
    } catch (error) {
      // The cached state may be half-updated in place: drop it, the next read folds from scratch.
      this.cache.delete(stream);
      throw error;
    }
    const fresh = { state, revision };
    this.remember(stream, fresh);
    return fresh;
  }

  private remember(stream: string, entry: Cached<State>): void {
    this.cache.delete(stream);
    this.cache.set(stream, entry);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }

  private serialised<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(stream) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    this.queues.set(stream, settled);
    void settled.then(() => {
      if (this.queues.get(stream) === settled) this.queues.delete(stream);
    });
    return run;
  }

  private withMetadata(event: Event, context: CommandContext): EventToAppend<Event> {
    return stampEvent(this.codec, event, context, this.newEventId());
  }
}

