import type { Subscription } from 'rxjs';
import type { EventStore } from '../../adapters/eventstore/port.ts';
import type { GlobalPosition, RecordedEvent } from '../../domain/shared/messages.ts';
import { logHead } from '../log-head.ts';

/** Someone following the live log: told of each event, and told once when the feed ends. */
export type FeedListener = { event(event: RecordedEvent): void; end(): void };

/**
 * One subscription to the whole log per engine, fanned out to every connected event stream. It
 * starts at the log's head when the first listener arrives and is released when the last leaves,
 * so an idle console costs nothing and a hundred open tabs cost one store subscription.
 *
 * `ready()` settles with the position the subscription follows from: every event after it reaches
 * every listener registered before it is delivered. A replay that reads the log up to at least that
 * position therefore meets the live events without a gap (src/app/live-events/tenant-streams.ts).
 */
export class SharedLogFeed {
  private readonly listeners = new Set<FeedListener>();
  private subscription: Subscription | null = null;
  private starting: Promise<GlobalPosition> | null = null;
  /** Bumped on every release of the subscription, so a start that was overtaken does not subscribe too. */
  private generation = 0;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    /** Somewhere at or before the head (e.g. the furthest read model's checkpoint): the head search starts there. */
    private readonly nearHead: () => GlobalPosition | null,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Registers a listener and returns the way to release it. After close(), the listener is ended at once. */
  listen(listener: FeedListener): () => void {
    if (this.closed) {
      listener.end();
      return () => undefined;
    }
    this.listeners.add(listener);
    if (!this.starting) {
      this.starting = this.start(this.generation);
      // Listeners that wait on ready() see the failure; nobody else has to.
      this.starting.catch(() => undefined);
    }
    return () => this.release(listener);
  }

  /** The position the live subscription follows from; rejects when it could not start. */
  ready(): Promise<GlobalPosition> {
    return this.starting ?? Promise.reject(new Error('the live feed has no listener'));
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Whether a store subscription is held right now (false once the last listener left). */
  get subscribed(): boolean {
    return this.subscription !== null;
  }

  /** Ends every listener and refuses new ones: the engine is stopping. */
  close(): void {
    this.closed = true;
    this.endAll();
  }

  private release(listener: FeedListener): void {
    if (!this.listeners.delete(listener)) return;
    if (this.listeners.size === 0) this.unsubscribe();
  }

  private async start(generation: number): Promise<GlobalPosition> {
    try {
      const head = await logHead(this.store, this.nearHead());
      // Everyone may have left (and someone else started again), or the engine stopped, meanwhile.
      if (generation === this.generation && !this.closed) {
        this.subscription = this.store.subscribe({ after: head }).subscribe({
          next: (event) => {
            for (const listener of [...this.listeners]) listener.event(event);
          },
          error: (error: unknown) => {
            this.onError(error);
            // Clients reconnect with Last-Event-ID; the next listener starts a fresh subscription.
            this.endAll();
          },
          complete: () => this.endAll(),
        });
      }
      return head;
    } catch (error) {
      this.onError(error);
      if (generation === this.generation) this.endAll();
      throw error;
    }
  }

  private unsubscribe(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    // A start still looking for the head sees the generation moved and does not subscribe.
    this.starting = null;
    this.generation++;
  }

  private endAll(): void {
    const ended = [...this.listeners];
    this.listeners.clear();
    this.unsubscribe();
    for (const listener of ended) listener.end();
  }
}
