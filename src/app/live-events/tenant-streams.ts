import type { EventStore } from '../../adapters/eventstore/port.ts';
import { comparePositions, type GlobalPosition, type RecordedEvent } from '../../domain/shared/messages.ts';
import type { EventsDependencies, TenantEventSink } from '../../http/events-dependencies.ts';
import type { SharedLogFeed } from './shared-feed.ts';

/** Replay reads the log in pages of this many events. */
const REPLAY_PAGE = 1_000;
/**
 * A resume scans at most this many log events (every tenant's) before it gives up on the rest and
 * goes live: a client that was away for days refetches its pages instead of holding a request
 * open for minutes while the whole log streams past.
 */
export const REPLAY_SCAN_LIMIT = 20_000;

/**
 * One tenant's view of the live log: its own events only, optionally resumed from a position.
 * A resume first registers on the shared feed (holding what arrives), then replays the log from
 * the position until it has read past where the feed started, then hands over to the held events,
 * dropping any it already replayed — so no event is skipped or sent twice at the seam.
 */
export class TenantEventStreams implements Pick<EventsDependencies, 'follow'> {
  constructor(
    private readonly store: EventStore,
    private readonly feed: SharedLogFeed,
    private readonly scanLimit = REPLAY_SCAN_LIMIT,
  ) {}

  follow(tenantId: string, after: GlobalPosition | null, sink: TenantEventSink): () => void {
    let last = after;
    let held: RecordedEvent[] | null = [];
    let done = false;
    const forward = (event: RecordedEvent) => {
      if (done || (last && comparePositions(event.position, last) <= 0)) return;
      last = event.position;
      sink.event(event);
    };
    // Assigned below; the feed may end a listener while registering it (it is closed).
    let release = () => {};
    const finish = () => {
      if (done) return;
      done = true;
      held = null;
      release();
      sink.end();
    };
    release = this.feed.listen({
      event: (event) => {
        if (event.metadata.tenantId !== tenantId) return;
        if (held) held.push(event);
        else forward(event);
      },
      end: finish,
    });
    if (done) return () => undefined;
    void (async () => {
      // The replay must start reading only once the feed knows where it follows from.
      await this.feed.ready();
      if (after) await this.replay(tenantId, after, forward, () => done, sink);
      const waiting = held ?? [];
      held = null;
      for (const event of waiting) forward(event);
    })().catch(finish);
    return () => {
      done = true;
      held = null;
      release();
    };
  }

  private async replay(
    tenantId: string,
    from: GlobalPosition,
    forward: (event: RecordedEvent) => void,
    stopped: () => boolean,
    sink: TenantEventSink,
  ): Promise<void> {
    let position = from;
    let scanned = 0;
    while (!stopped()) {
      if (scanned >= this.scanLimit) {
        sink.truncated?.();
        return;
      }
      const page = await this.store.readAll({ after: position, maxCount: REPLAY_PAGE });
      for (const event of page) if (event.metadata.tenantId === tenantId) forward(event);
      scanned += page.length;
      if (page.length > 0) position = page.at(-1)!.position;
      // A short page is everything visible now, which includes where the feed started (it was
      // found before this read); the feed delivers everything after that.
      if (page.length < REPLAY_PAGE) return;
    }
  }
}
