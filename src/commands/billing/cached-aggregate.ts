import { WrongExpectedRevisionError, type EventStore } from '../../adapters/eventstore/port.ts';
import type { DomainEvent, EventToAppend, GlobalPosition } from '../../domain/shared/messages.ts';
import { stampEvent, type EventCodec } from '../command-handler.ts';
import type { CommandContext, Decider } from '../decider.ts';

/** `at`: when (monotonic ms) the state was last known to match the stored stream. */
type Cached<State> = { state: State; revision: bigint; at: number };

/** After a conflict, how long a stream's tail is read before each batch rather than trusting the cache. */
const CONTENDED_FOR_MS = 10_000;

export type CachedAggregateOptions = {
  readonly newEventId?: () => string;
  /** Conflicts with other processes are retried by reading the stream's new tail; anything else fails at once. */
  readonly maxAttempts?: number;
  /** Streams whose folded state is kept in memory (least recently used are dropped). */
  readonly cacheSize?: number;
  /**
   * True when the decider's evolve never alters the state it is given (it returns a new one). A
   * batch is then decided on that state, and an append that fails leaves the cache as it was; for
   * a decider that evolves in place, a failed batch drops the stream's cached state instead.
   */
  readonly persistentState?: boolean;
  /** Commands decided together and appended in one append, at most. */
  readonly maxBatch?: number;
};

export type AggregateResult<State, Event extends DomainEvent> = {
  /** This command's own events; empty when it was a no-op. */
  readonly appended: ReadonlyArray<EventToAppend<Event>>;
  /** The state after this command's events (the batch's later commands may have moved it on since). */
  readonly state: State;
  /**
   * The position of the last event of the append that carried this command's events: all of
   * them are at or before it and committed with it. Null for a no-op.
   */
  readonly position: GlobalPosition | null;
};

type Queued<State, Cmd, Event extends DomainEvent> = {
  readonly command: Cmd | ((state: State) => Cmd);
  readonly context: CommandContext;
  readonly resolve: (result: AggregateResult<State, Event>) => void;
  readonly reject: (error: unknown) => void;
};

type Decided<State, Cmd, Event extends DomainEvent> = {
  readonly queued: Queued<State, Cmd, Event>;
  readonly outcome: { appended: EventToAppend<Event>[]; state: State } | { error: unknown };
};

/**
 * read → decide → append with the expected revision, like CommandHandler, for hot streams such as
 * an account's wallet (every placement and every charge touches it):
 * - commands to one stream are queued in this process, so concurrent requests do not spin on
 *   conflicts with each other; the expected revision still guards against other processes;
 * - the folded state is cached with its revision. A command is decided on it directly, the
 *   expected revision catching another process's append; after such a conflict the stream's new
 *   tail is read before each batch for a while;
 * - commands that arrive while the stream's previous append is in flight are decided one after
 *   another against the evolving state and appended together, in one append: a stream as busy as
 *   a running campaign's (a claim and an end for every call) or an account's wallet then costs one
 *   round of reads and writes per batch instead of one per command. Each command still gets its
 *   own answer: one the decider refuses fails alone, the others are appended.
 * The decider's evolve may update the state it is given in place: the cache holds the only copy.
 */
export class CachedAggregate<State, Cmd, Event extends DomainEvent> {
  private readonly cache = new Map<string, Cached<State>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Commands waiting for their stream's next batch, which is already queued. */
  private readonly waiting = new Map<string, Queued<State, Cmd, Event>[]>();
  /** Streams another process appended to lately: read before each batch until then (monotonic ms). */
  private readonly contendedUntil = new Map<string, number>();
  private readonly newEventId: () => string;
  private readonly maxAttempts: number;
  private readonly cacheSize: number;
  private readonly persistentState: boolean;
  private readonly maxBatch: number;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<State, Cmd, Event>,
    private readonly codec: EventCodec<Event>,
    options: CachedAggregateOptions = {},
  ) {
    this.newEventId = options.newEventId ?? (() => crypto.randomUUID());
    this.maxAttempts = options.maxAttempts ?? 50;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.persistentState = options.persistentState ?? false;
    this.maxBatch = options.maxBatch ?? 200;
  }

  /** The stream's current state. The returned state must be treated as read-only. */
  load(stream: string): Promise<{ state: State; revision: bigint }> {
    return this.serialised(stream, () => this.refresh(stream));
  }

  /**
   * The cached state, without reading the store or waiting in the stream's queue: it may miss
   * other processes' latest appends. Null when the stream is not cached, or (with `maxAgeMs`) when
   * the cache was last read or written longer ago than that. The state must be treated as read-only.
   */
  peek(stream: string, maxAgeMs = Number.POSITIVE_INFINITY): { state: State; revision: bigint } | null {
    const cached = this.cache.get(stream);
    if (!cached || performance.now() - cached.at > maxAgeMs) return null;
    return cached;
  }

  /** `command` may be built from the current state, inside the stream's queue. */
  handle(stream: string, command: Cmd | ((state: State) => Cmd), context: CommandContext): Promise<AggregateResult<State, Event>> {
    return new Promise((resolve, reject) => {
      const queued = { command, context, resolve, reject };
      const waiting = this.waiting.get(stream);
      if (waiting && waiting.length < this.maxBatch) {
        waiting.push(queued);
        return;
      }
      const batch = [queued];
      this.waiting.set(stream, batch);
      void this.serialised(stream, async () => {
        if (this.waiting.get(stream) === batch) this.waiting.delete(stream);
        await this.runBatch(stream, batch);
      });
    });
  }

  private async runBatch(stream: string, batch: readonly Queued<State, Cmd, Event>[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let current: Cached<State>;
      try {
        current = this.trustedCache(stream, attempt) ?? (await this.refresh(stream));
      } catch (error) {
        for (const queued of batch) queued.reject(error);
        return;
      }
      const evolveFirst = this.persistentState || batch.length > 1;
      const { decided, state, events } = this.decideAll(batch, current.state, evolveFirst);
      if (events.length === 0) {
        settle(decided, null);
        return;
      }
      try {
        const result = await this.store.append(stream, events, current.revision < 0n ? 'no_stream' : current.revision);
        const after = evolveFirst ? state : events.reduce((s, event) => this.decider.evolve(s, event), state);
        this.remember(stream, { state: after, revision: result.nextExpectedRevision, at: performance.now() });
        settle(evolveFirst ? decided : [{ queued: batch[0]!, outcome: { appended: events, state: after } }], result.position);
        return;
      } catch (error) {
        // A state evolved in place before the append no longer matches the stored stream.
        if (evolveFirst && !this.persistentState) this.cache.delete(stream);
        if (error instanceof WrongExpectedRevisionError) {
          this.contendedUntil.delete(stream);
          this.contendedUntil.set(stream, performance.now() + CONTENDED_FOR_MS);
          if (this.contendedUntil.size > this.cacheSize) this.contendedUntil.delete(this.contendedUntil.keys().next().value!);
          if (attempt < this.maxAttempts) continue;
        }
        if (batch.length === 1) {
          batch[0]!.reject(error);
          return;
        }
        // One append failed for all of them: each command on its own, so each meets its own fate.
        for (const queued of batch) await this.runBatch(stream, [queued]);
        return;
      }
    }
  }

  /**
   * The cached state, when a batch may be decided on it without reading the stream's tail first:
   * the append's expected revision still refuses it if another process wrote in between, and
   * then the stream is read before every batch for a while.
   */
  private trustedCache(stream: string, attempt: number): Cached<State> | null {
    if (attempt > 1) return null;
    const contended = this.contendedUntil.get(stream);
    if (contended !== undefined) {
      if (performance.now() < contended) return null;
      this.contendedUntil.delete(stream);
    }
    return this.cache.get(stream) ?? null;
  }

  /**
   * Decides each command against the state the ones before it left. A refused command leaves the
   * state as it was. Without `evolveFirst` (a lone command, a decider that evolves in place) the
   * state is left alone: it is evolved once the events are stored, so a failed append costs nothing.
   */
  private decideAll(batch: readonly Queued<State, Cmd, Event>[], initial: State, evolveFirst: boolean) {
    const decided: Decided<State, Cmd, Event>[] = [];
    const events: EventToAppend<Event>[] = [];
    let state = initial;
    for (const queued of batch) {
      try {
        const resolved = typeof queued.command === 'function' ? (queued.command as (state: State) => Cmd)(state) : queued.command;
        const raw = this.decider.decide(resolved, state);
        const appended = raw.map((event) => this.withMetadata(event, queued.context));
        if (raw.length > 0 && evolveFirst) state = raw.reduce((s, event) => this.decider.evolve(s, event), state);
        decided.push({ queued, outcome: { appended, state } });
        events.push(...(appended as EventToAppend<Event>[]));
      } catch (error) {
        decided.push({ queued, outcome: { error } });
      }
    }
    return { decided, state, events };
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
    const fresh = { state, revision, at: performance.now() };
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

function settle<State, Cmd, Event extends DomainEvent>(decided: readonly Decided<State, Cmd, Event>[], position: GlobalPosition | null): void {
  for (const { queued, outcome } of decided) {
    if ('error' in outcome) queued.reject(outcome.error);
    else queued.resolve({ appended: outcome.appended, state: outcome.state, position: outcome.appended.length > 0 ? position : null });
  }
}

