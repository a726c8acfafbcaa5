import type { TimerHandle, Timers } from './timers.ts';

/**
 * Runs the channel sweep on a fixed interval, one sweep at a time. Asterisk sends nothing about a
 * channel that is simply up, so without a sweep the last fact about a long call would be its
 * answer, and a call lost in a crash could only be billed to that. Asterisk's GET /channels lists
 * the channels that exist right now (https://docs.asterisk.org/Asterisk_20_Documentation/API_Documentation/Asterisk_REST_Interface/Channels_REST_API/).
 */
export class ChannelHeartbeat {
  private timer: TimerHandle | null = null;
  private running = false;
  private stopped = false;

  constructor(
    private readonly timers: Timers,
    private readonly intervalMs: number,
    private readonly sweep: () => Promise<void>,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.timers.after(this.intervalMs, () => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      await this.sweep();
    } catch {
      // A failed sweep just leaves the last-seen marks where they were; the next one tries again.
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}
