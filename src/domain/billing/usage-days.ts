import { DomainError, ValidationError } from '../shared/errors.ts';

/** The longest daily usage range one request may ask for, in days (both ends included). */
export const MAX_USAGE_DAYS = 366;
/** With no `from`, a range ends this many days back from `to` (both ends included). */
export const DEFAULT_USAGE_DAYS = 30;

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type DayRange = { from: string; to: string };

/** 'YYYY-MM-DD' → its UTC midnight in ms; null for anything that is not a real calendar day. */
function dayStart(text: string): number | null {
  if (!DATE.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? null : ms;
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The UTC days a usage chart covers: `to` defaults to today (from the injected clock), `from` to
 * 30 days ending at `to`. Both ends are included. Longer than MAX_USAGE_DAYS is RANGE_TOO_LARGE.
 */
export function usageDayRange(from: string | null, to: string | null, now: Date): DayRange {
  const invalid = (name: string, value: string) =>
    new ValidationError(`\`${name}\` must be a UTC date, e.g. 2026-12-01.`, { issues: [{ path: name, message: `not a date: ${value.slice(0, 40)}` }] });
  const end = to === null ? dayStart(dayOf(now.getTime()))! : dayStart(to);
  if (end === null) throw invalid('to', to!);
  const start = from === null ? end - (DEFAULT_USAGE_DAYS - 1) * DAY_MS : dayStart(from);
  if (start === null) throw invalid('from', from!);
  if (start > end) throw new ValidationError('`from` must not be after `to`.', { issues: [{ path: 'from', message: 'after to' }] });
  const days = (end - start) / DAY_MS + 1;
  if (days > MAX_USAGE_DAYS) {
    throw new DomainError('RANGE_TOO_LARGE', `A daily usage range covers at most ${MAX_USAGE_DAYS} days; this one covers ${days}.`, { max_days: MAX_USAGE_DAYS, days });
  }
  return { from: dayOf(start), to: dayOf(end) };
}

/** Every day of the range, in order: the chart gets a bar (zero or not) for each. */
export function daysOf(range: DayRange): string[] {
  const out: string[] = [];
  for (let ms = dayStart(range.from)!; ms <= dayStart(range.to)!; ms += DAY_MS) out.push(dayOf(ms));
  return out;
}

/** The instant just after the range's last day: the exclusive end for queries. */
export const endOfRange = (range: DayRange): string => new Date(dayStart(range.to)! + DAY_MS).toISOString();
export const startOfRange = (range: DayRange): string => new Date(dayStart(range.from)!).toISOString();
