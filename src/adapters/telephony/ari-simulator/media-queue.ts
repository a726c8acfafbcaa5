/**
 * One channel's media operations, run one at a time in the order they were asked for.
 *
 * Asterisk gives every channel in Stasis a single queue of operations. A play asked for while
 * another play or a record is still running on that channel is accepted (201, state `queued`) but
 * only starts, with PlaybackStarted, once the running one has ended; a record waits behind a running
 * play, and a play behind a running record, the same way. Asterisk's documentation says so for
 * playbacks on the "ARI and Channels: Simple Media Manipulation" page,
 * https://docs.asterisk.org/Configuration/Interfaces/Asterisk-REST-Interface-ARI/Introduction-to-ARI-and-Channels/ARI-and-Channels-Simple-Media-Manipulation/
 * and the change that let bridged channels take commands explains that channel operations in ARI
 * are queued and run in sequence by design,
 * https://www.mail-archive.com/svn-commits@lists.digium.com/msg73537.html
 * A calltrail run on Asterisk 20 showed exactly this: a channel's record held back its play until
 * the recording stopped. That is why calltrail records through a snoop channel, whose queue is its
 * own (see snoops.ts).
 */
export type MediaOperationKey = `playback:${string}` | `recording:${string}`;

type Waiting = { readonly key: MediaOperationKey; readonly begin: () => void };

export class MediaQueue {
  private readonly waiting: Waiting[] = [];
  private running: MediaOperationKey | null = null;
  private closed = false;

  /** Starts `begin` now if nothing else runs on the channel, or once everything asked for earlier has ended. */
  enqueue(key: MediaOperationKey, begin: () => void): void {
    if (this.closed) return;
    this.waiting.push({ key, begin });
    if (this.running === null) this.startNext();
  }

  /** The operation ended (ran out, was stopped or failed) or was dropped before it began. */
  finished(key: MediaOperationKey): void {
    if (this.running === key) {
      this.running = null;
      this.startNext();
      return;
    }
    const index = this.waiting.findIndex((operation) => operation.key === key);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  isRunning(key: MediaOperationKey): boolean {
    return this.running === key;
  }

  /** The channel is going away: nothing waiting may start any more. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
    this.running = null;
  }

  private startNext(): void {
    const next = this.closed ? undefined : this.waiting.shift();
    if (next === undefined) return;
    this.running = next.key;
    next.begin();
  }
}

export const playbackKey = (id: string): MediaOperationKey => `playback:${id}`;
export const recordingKey = (name: string): MediaOperationKey => `recording:${name}`;
