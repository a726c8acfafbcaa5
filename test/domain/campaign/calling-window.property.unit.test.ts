import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInsideWindow, nextWindowClosing, nextWindowOpening, type CallingWindow } from '../../../src/domain/campaign/index.ts';
import { WEEKDAYS } from '../../../src/domain/shared/local-time.ts';

// Whole-hour, half-hour and 45-minute offsets, half-hour DST (Lord Howe), both hemispheres.
const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Chicago', 'Asia/Karachi'];
/**
 * Every window edge, zone offset and DST change here falls on a quarter hour in UTC, so scanning
 * quarter hours from a quarter-hour instant misses no opening or closing.
 */
const STEP = 15 * 60_000;

const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const window = fc
  .record({
    hours: fc.option(fc.tuple(clock, clock).filter(([start, end]) => start !== end).map(([start, end]) => ({ start, end })), { nil: null }),
    days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  })
  .map((w): CallingWindow => w);
const zones = fc.subarray(ZONES, { minLength: 1, maxLength: 2 });
// Quarter-hour instants through 2026, DST changes included.
const now = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / STEP, max: Date.parse('2026-12-31T00:00:00Z') / STEP }).map((q) => new Date(q * STEP));

describe('window openings and closings, for any zones and window', () => {
  it('the next opening is inside, and no quarter hour before it is', () => {
    fc.assert(
      fc.property(zones, window, now, (zs, w, at) => {
        const opening = nextWindowOpening(zs, w, at);
        const scanEnd = Math.min(opening?.getTime() ?? Infinity, at.getTime() + 3 * 96 * STEP);
        for (let t = at.getTime(); t < scanEnd; t += STEP) expect(isInsideWindow(zs, w, new Date(t))).toBe(false);
        if (opening) expect(isInsideWindow(zs, w, opening)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('the next closing is outside, and every quarter hour before it is inside', () => {
    fc.assert(
      fc.property(zones, window, now, (zs, w, at) => {
        const opening = nextWindowOpening(zs, w, at);
        if (!opening) return;
        const closing = nextWindowClosing(zs, w, opening);
        const scanEnd = Math.min(closing?.getTime() ?? Infinity, opening.getTime() + 3 * 96 * STEP);
        for (let t = opening.getTime(); t < scanEnd; t += STEP) expect(isInsideWindow(zs, w, new Date(t))).toBe(true);
        if (closing) expect(isInsideWindow(zs, w, closing)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
