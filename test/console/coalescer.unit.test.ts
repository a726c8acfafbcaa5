import { describe, expect, it } from 'vitest';
import { coalescer } from '../../console/src/pages/parts/coalescer.ts';

/** The campaign page's refetch on live events: a burst costs one run in flight and one after it. */
describe('coalescer', () => {
  /** A run that finishes only when the test says so, recording the position it was given. */
  function controlledRuns() {
    const started: (string | null)[] = [];
    const finishers: (() => void)[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const run = (position: string | null) => {
      started.push(position);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<void>((resolve) => {
        finishers.push(() => {
          inFlight -= 1;
          resolve();
        });
      });
    };
    const finishNext = async () => {
      finishers.shift()!();
      // Let the coalescer see the run end and start the queued one.
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { run, started, finishNext, maxInFlight: () => maxInFlight };
  }

  it('runs once for a burst that arrives while a run is in flight, with the newest position', async () => {
    const runs = controlledRuns();
    const request = coalescer(runs.run);
    request('p1');
    for (const position of ['p2', 'p3', 'p4', 'p5']) request(position);
    expect(runs.started).toEqual(['p1']);
    await runs.finishNext();
    expect(runs.started).toEqual(['p1', 'p5']);
    await runs.finishNext();
    expect(runs.started).toEqual(['p1', 'p5']);
    expect(runs.maxInFlight()).toBe(1);
  });

  it('keeps the last known position when a later request names none, and runs again after going idle', async () => {
    const runs = controlledRuns();
    const request = coalescer(runs.run);
    request('p1');
    request('p2');
    request(null);
    await runs.finishNext();
    expect(runs.started).toEqual(['p1', 'p2']);
    await runs.finishNext();
    request('p3');
    expect(runs.started).toEqual(['p1', 'p2', 'p3']);
  });

  it('goes on after a run fails', async () => {
    const started: string[] = [];
    const request = coalescer(async (position) => {
      started.push(position ?? '');
      if (position === 'bad') throw new Error('refused');
    });
    request('bad');
    await new Promise((resolve) => setImmediate(resolve));
    request('good');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['bad', 'good']);
  });
});
