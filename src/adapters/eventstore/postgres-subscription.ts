import { Observable, type Subscriber } from 'rxjs';
import { START_POSITION, type GlobalPosition, type RecordedEvent } from '../../domain/shared/messages.ts';
import { EventStoreUnavailableError, type ReadAllOptions } from './port.ts';

export type SubscriptionSource = {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Registers a wake-up for "something may have been appended"; returns the way to stop it. */
  onWake(wake: () => void): () => void;
  /** Settles once cross-process wake-ups are in place, so the first read cannot miss one. */
  readonly ready: Promise<void>;
};

export type SubscriptionHandle = { readonly finished: Promise<void>; complete(): void };

export type SubscriptionSettings = {
  readonly after?: GlobalPosition;
  readonly pageSize: number;
  /** Re-read at least this often: covers appends nobody announced and events held back by xmin. */
  readonly pollIntervalMs: number;
  /** Hands the store a way to end this subscription and to wait until its loop has stopped. */
  readonly track: (handle: SubscriptionHandle) => void;
};

/**
 * Pages through history from `after`, then sleeps until woken and reads again. It only ever asks
 * for events strictly after the last one it emitted, so a wake-up that races a read can cause an
 * extra (empty) read but never a duplicate or a skipped event.
 */
export function followAll(source: SubscriptionSource, settings: SubscriptionSettings): Observable<RecordedEvent> {
  return new Observable<RecordedEvent>((subscriber) => {
    const loop = new FollowLoop(source, settings, subscriber);
    settings.track({ finished: loop.run(), complete: () => subscriber.complete() });
    return () => loop.stop();
  });
}

class FollowLoop {
  private stopped = false;
  private woken = false;
  private resolveSleep: (() => void) | undefined;
  private readonly stopWaking: () => void;
  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly settings: SubscriptionSettings,
    private readonly subscriber: Subscriber<RecordedEvent>,
  ) {
    this.stopWaking = source.onWake(() => this.wake());
    this.poll = setInterval(() => this.wake(), settings.pollIntervalMs);
  }

  async run(): Promise<void> {
    let after = this.settings.after ?? START_POSITION;
    try {
      await this.source.ready;
      while (!this.stopped) {
        this.woken = false;
        let page: RecordedEvent[];
        try {
          page = await this.source.readAll({ after, maxCount: this.settings.pageSize });
        } catch (error) {
          // The database may come back: keep the position and try again at the next poll.
          if (error instanceof EventStoreUnavailableError) {
            await this.sleep();
            continue;
          }
          throw error;
        }
        for (const event of page) {
          if (this.stopped) return;
          this.subscriber.next(event);
          after = event.position;
        }
        if (page.length < this.settings.pageSize) await this.sleep();
      }
    } catch (error) {
      if (!this.stopped) this.subscriber.error(error);
    } finally {
      this.stop();
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.poll);
    this.stopWaking();
    this.resolveSleep?.();
  }

  private wake(): void {
    this.woken = true;
    this.resolveSleep?.();
  }

  private async sleep(): Promise<void> {
    if (this.woken || this.stopped) return;
    await new Promise<void>((resolve) => (this.resolveSleep = resolve));
    this.resolveSleep = undefined;
  }
}
