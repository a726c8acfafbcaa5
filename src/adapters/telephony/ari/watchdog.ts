import type { TimerHandle, Timers } from './timers.ts';

/**
 * Makes sure no answered call stays live forever: at its max duration we ask the PBX to hang up,
 * and if the PBX never confirms (it crashed, the event got lost) we give up on it after a grace
 * period so the call still ends in the books.
 */
export class MaxDurationWatchdog {
  private readonly armed = new Map<string, TimerHandle>();

  constructor(
    private readonly timers: Timers,
    private readonly graceMs: number,
    private readonly actions: {
      hangup(callId: string): Promise<void>;
      giveUp(callId: string): void;
    },
  ) {}

  arm(callId: string, maxDurationSeconds: number): void {
    this.disarm(callId);
    this.armed.set(
      callId,
      this.timers.after(maxDurationSeconds * 1000, () => this.expire(callId)),
    );
  }

  disarm(callId: string): void {
    this.armed.get(callId)?.cancel();
    this.armed.delete(callId);
  }

  disarmAll(): void {
    for (const handle of this.armed.values()) handle.cancel();
    this.armed.clear();
  }

  isArmed(callId: string): boolean {
    return this.armed.has(callId);
  }

  private expire(callId: string): void {
    this.armed.set(
      callId,
      this.timers.after(this.graceMs, () => {
        this.armed.delete(callId);
        this.actions.giveUp(callId);
      }),
    );
    // A failed hangup is exactly the case the grace timer covers, so it is not an error here.
    this.actions.hangup(callId).catch(() => undefined);
  }
}
