import { instantAtWall, localDatePlus, offsetMs, parseClockTime, wallClock, WEEKDAYS, type Weekday } from './local-time.ts';
/** Hours of the day, HH:MM each, [start, end); start > end crosses midnight. */
export type CallingHours = { readonly start: string; readonly end: string };

/**
 * When a callee may be called, in the callee's own wall-clock time.
 *
 * - Hours are [start, end): 09:00–18:00 admits 17:59 and refuses 18:00.
 * - start > end crosses midnight: 20:00–02:00 is 20:00 to 02:00 the next morning, and belongs to
 *   the day it opened on (a Friday-only window runs Friday 20:00 to Saturday 02:00).
 * - null hours: any time on the allowed days.
 * - Several zones (one number, several possible places): inside only while inside in every one of
 *   them, so nobody is called outside their hours whichever zone they turn out to be in.
 * - DST needs no rule of its own: the wall clock is read in the zone at the instant, so a 09:00 opening
 *   is 09:00 local on both sides of a change, and an opening inside a skipped hour happens at the jump.
 */

export type CallingWindow = {
  readonly hours: CallingHours | null;
  readonly days: readonly Weekday[];
};

/** How far ahead openings are looked for: a week covers every day-of-week pattern, plus a margin. */
const HORIZON_DAYS = 9;

function minutesOf(hours: CallingHours): { start: number; end: number } {
  const start = parseClockTime(hours.start);
  const end = parseClockTime(hours.end);
  if (start === null || end === null || start === end) throw new Error(`Malformed calling hours ${hours.start}–${hours.end}`);
  return { start, end };
}

const previousDay = (day: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;

function insideIn(zone: string, window: CallingWindow, instant: number): boolean {
  const local = wallClock(zone, instant);
  if (window.hours === null) return window.days.includes(local.weekday);
  const { start, end } = minutesOf(window.hours);
  const minute = local.minuteOfDay;
  if (start < end) return window.days.includes(local.weekday) && minute >= start && minute < end;
  return (minute >= start && window.days.includes(local.weekday)) || (minute < end && window.days.includes(previousDay(local.weekday)));
}

export function isInsideWindow(zones: readonly string[], window: CallingWindow, now: Date): boolean {
  if (zones.length === 0) throw new Error('isInsideWindow needs at least one zone');
  const instant = now.getTime();
  return zones.every((zone) => insideIn(zone, window, instant));
}

/**
 * Every instant in the horizon at which some zone's window opens or closes (and each local
 * midnight, where the day-of-week can change). The all-zones window can only change state at one
 * of these, so scanning them in order finds its next opening or closing exactly.
 */
function boundaries(zones: readonly string[], window: CallingWindow, from: number): number[] {
  const minutes = window.hours === null ? [0] : [...new Set([0, ...Object.values(minutesOf(window.hours))])];
  const instants = new Set<number>();
  for (const zone of zones) {
    for (let day = -1; day <= HORIZON_DAYS; day++) {
      const date = localDatePlus(zone, from, day);
      for (const minute of minutes) {
        const instant = instantAtWall(zone, date, minute);
        if (instant > from) instants.add(instant);
      }
    }
  }
  return [...instants].sort((a, b) => a - b);
}

/** The earliest instant ≥ now at which every zone is inside the window; null if none within ~a week. */
export function nextWindowOpening(zones: readonly string[], window: CallingWindow, now: Date): Date | null {
  if (isInsideWindow(zones, window, now)) return now;
  const opening = boundaries(zones, window, now.getTime()).find((instant) => isInsideWindow(zones, window, new Date(instant)));
  return opening === undefined ? null : new Date(opening);
}

/** The earliest instant ≥ now at which some zone is outside the window; null if it never closes. */
export function nextWindowClosing(zones: readonly string[], window: CallingWindow, now: Date): Date | null {
  if (!isInsideWindow(zones, window, now)) return now;
  const closing = boundaries(zones, window, now.getTime()).find((instant) => !isInsideWindow(zones, window, new Date(instant)));
  return closing === undefined ? null : new Date(closing);
}

/**
 * Whether the zones' windows can ever be open together: false when the zones lie further apart
 * than the window is long (a US toll-free number spans Guam to Newfoundland; 09:00–18:00 never
 * holds in all of them). Judged from the offsets at `at`; a DST hour either way does not change it
 * for any realistic window.
 */
export function windowsCanOverlap(zones: readonly string[], window: CallingWindow, at: Date): boolean {
  if (window.hours === null || zones.length <= 1) return true;
  const { start, end } = minutesOf(window.hours);
  const lengthMs = (((end - start) % 1440) + 1440) % 1440 * 60_000;
  const offsets = zones.map((zone) => offsetMs(zone, at.getTime()));
  return Math.max(...offsets) - Math.min(...offsets) < lengthMs;
}
