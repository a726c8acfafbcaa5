/** Timers are injected so tests can drive them; the real ones never keep the process alive. */
export type TimerHandle = { readonly cancel: () => void };

export interface Timers {
  after(ms: number, run: () => void): TimerHandle;
}

export const unrefTimers: Timers = {
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
