import { CliError, EXIT } from '../errors.ts';

/** An instant given on the command line: an ISO date-time or a date (UTC midnight). */
export function parseInstant(text: string, option: string): string {
  const trimmed = text.trim();
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed);
  const when = ok ? Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed) : Number.NaN;
  if (Number.isNaN(when)) throw new CliError(`${option} must be an ISO date or date-time, e.g. 2026-11-23 or 2026-11-23T10:15:00Z (got "${text}")`, EXIT.usage);
  return new Date(when).toISOString();
}

export const json = (value: unknown): string => `${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
