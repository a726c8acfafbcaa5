/**
 * Wall-clock time in an IANA zone, from the platform's own tz database (Intl), so no library or
 * data file has to be kept up to date beside Node. Everything here is a pure function of its
 * arguments: instants are passed in as epoch milliseconds, never read from a clock.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type WallClock = {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Minutes since local midnight, 0..1439. */
  readonly minuteOfDay: number;
  readonly weekday: Weekday;
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

// Building a DateTimeFormat costs far more than using one; zones are few, so they are kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether the platform knows `zone` as an IANA time zone ('Europe/London' yes, 'Mars/Base' no). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The platform's own spelling of a zone ('europe/london' → 'Europe/London'), or null for no zone. */
export function canonicalTimeZone(zone: string): string | null {
  return isTimeZone(zone) ? formatterFor(zone).resolvedOptions().timeZone : null;
}

/** The local wall time at `instant`, written as if it were UTC: comparable and subtractable. */
export function wallMs(zone: string, instant: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(instant));
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(value('year'), value('month') - 1, value('day'), value('hour') % 24, value('minute'), value('second'));
}

export function wallClock(zone: string, instant: number): WallClock {
  const wall = new Date(wallMs(zone, instant));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    minuteOfDay: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    weekday: WEEKDAYS[wall.getUTCDay()]!,
  };
}

/** The zone's offset from UTC at `instant` (positive east of Greenwich), whole seconds. */
export function offsetMs(zone: string, instant: number): number {
  return wallMs(zone, instant) - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant at which the zone's wall clock reads at least `minuteOfDay` on the given local
 * date. Where the wall time happens twice (the hour the clocks go back) that is the earlier one;
 * where it never happens (the hour the clocks go forward) it is the moment of the jump, when the
 * clock first reads a later time.
 */
export function instantAtWall(zone: string, date: { year: number; month: number; day: number }, minuteOfDay: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  // Offsets near the target: a transition within a day either side shows up as a second value.
  const offsets = new Set([offsetMs(zone, wall - DAY_MS), offsetMs(zone, wall), offsetMs(zone, wall + DAY_MS)]);
  const candidates = [...offsets].map((offset) => wall - offset).sort((a, b) => a - b);
  const exact = candidates.find((candidate) => wallMs(zone, candidate) === wall);
  if (exact !== undefined) return exact;
  // In a gap: the wall clock jumps over the target between the candidates; find the jump.
  let low = candidates[0]!;
  let high = candidates[candidates.length - 1]!;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallMs(zone, middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

/** The local calendar date `days` after the one containing `instant` in `zone`. */
export function localDatePlus(zone: string, instant: number, days: number): { year: number; month: number; day: number } {
  const today = wallClock(zone, instant);
  const shifted = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** 'HH:MM' (24-hour, 00:00..23:59) → minutes since midnight, or null when malformed. */
export function parseClockTime(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
