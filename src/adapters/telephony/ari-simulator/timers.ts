const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Timers that can all be cancelled at once, so `restart()` and `close()` leave nothing behind.
 * Each channel owns one group.
 */
export class TimerGroup {
  private readonly pending = new Set<NodeJS.Timeout>();

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

  cancelAll(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}
