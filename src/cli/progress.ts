import cliProgress from 'cli-progress';
import type { Output } from './context.ts';

export type ProgressSettings = {
  readonly out: Output;
  readonly label: string;
  /** How much of the work is done, 0..1, given the count so far; undefined when it cannot be told. */
  readonly fractionDone: (done: number) => number | undefined;
  /** Wall clock for rates; injected so tests can drive it. */
  readonly clock?: () => number;
};

export type ProgressReporter = {
  update(done: number, fraction?: number): void;
  /** Stops the bar and returns the final rate (units per second). */
  stop(): { done: number; seconds: number; perSecond: number };
};

const SCALE = 1000;

/**
 * A progress bar with units per second and time remaining: redrawn in place on a terminal, and
 * printed as a line every couple of seconds when the output is a file or pipe.
 */
export function progressBar(settings: ProgressSettings): ProgressReporter {
  const clock = settings.clock ?? (() => performance.now());
  const started = clock();
  let done = 0;
  const bar = new cliProgress.SingleBar(
    {
      stream: settings.out as NodeJS.WritableStream,
      format: `${settings.label} [{bar}] {percent} | {done} events | {rate} events/s | {left} left`,
      hideCursor: false,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      fps: 5,
      etaBuffer: 50,
    },
    cliProgress.Presets.legacy,
  );
  bar.start(SCALE, 0, payload(0, undefined));

  function payload(count: number, fraction: number | undefined) {
    const seconds = Math.max((clock() - started) / 1000, 1e-3);
    const rate = count / seconds;
    const left = fraction === undefined || fraction <= 0 ? 'unknown' : formatSeconds((seconds * (1 - fraction)) / fraction);
    return {
      percent: fraction === undefined ? '  ?%' : `${(fraction * 100).toFixed(1).padStart(5)}%`,
      done: count.toLocaleString('en-US'),
      rate: Math.round(rate).toLocaleString('en-US'),
      left,
    };
  }

  return {
    update(count, explicit) {
      done = count;
      const fraction = clamp(explicit ?? settings.fractionDone(count));
      bar.update(Math.round((fraction ?? 0) * SCALE), payload(count, fraction));
    },
    stop() {
      bar.update(SCALE, { ...payload(done, 1), left: '0s' });
      bar.stop();
      const seconds = (clock() - started) / 1000;
      return { done, seconds, perSecond: seconds > 0 ? done / seconds : 0 };
    },
  };
}

function clamp(fraction: number | undefined): number | undefined {
  if (fraction === undefined || !Number.isFinite(fraction)) return undefined;
  return Math.min(Math.max(fraction, 0), 1);
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
