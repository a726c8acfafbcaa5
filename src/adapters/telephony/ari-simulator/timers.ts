const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Timers that can all be cancelled at once, so `restart()` and `close()` leave nothing behind.
 * Each channel owns one group.
 */
type Due = { readonly atMs: number; readonly run: (atMs: number) => void };

export class TimerGroup {
  private readonly pending = new Set<NodeJS.Timeout>();
  /** Scripted instants not yet run, earliest first. */
  private readonly agenda: Due[] = [];

  after(realMs: number, run: () => void): void {
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        run();
      },
      // setTimeout treats anything past 2^31-1 ms as 1 ms; a delay that long means "not in this test".
      Math.min(realMs, MAX_TIMER_MS),
    );
    this.pending.add(handle);
  }

  /**
   * Runs `run` for the simulated instant `atMs`, `realMs` from now. Node does not keep timers of
   * different lengths in order once the event loop runs late, so a busy machine could deliver a
   * channel's answer before its ringing. Whichever timer fires first runs every instant due up to
   * its own, earliest first, so the channel's script keeps its order however late it runs.
   */
  atInstant(realMs: number, atMs: number, run: (atMs: number) => void): void {
    const later = this.agenda.findIndex((due) => due.atMs > atMs);
    this.agenda.splice(later < 0 ? this.agenda.length : later, 0, { atMs, run });
    this.after(realMs, () => this.runDueUpTo(atMs));
  }

  /** The earliest scripted instant that has not run yet, if any. */
  nextInstantMs(): number | undefined {
    return this.agenda[0]?.atMs;
  }

  cancelAll(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
    this.agenda.length = 0;
  }

  private runDueUpTo(atMs: number): void {
    // A run may cancel everything (a hangup) or add later instants; both end or skip the loop.
    for (let due = this.agenda[0]; due !== undefined && due.atMs <= atMs; due = this.agenda[0]) {
      this.agenda.shift();
      due.run(due.atMs);
    }
  }
}
