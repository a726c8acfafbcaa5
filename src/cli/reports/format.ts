import { CliError, EXIT } from '../errors.ts';

/** Minor units as a decimal string in the currency's usual two decimals, e.g. 12345 → "123.45". */
export function minorToText(amountMinor: number, currency: string | null): string {
  const negative = amountMinor < 0;
  const abs = Math.abs(amountMinor);
  const whole = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${currency ? `${currency} ` : ''}${whole}.${cents}`;
}

/** An instant given on the command line: an ISO date-time or a date (UTC midnight). */
export function parseInstant(text: string, option: string): string {
  const trimmed = text.trim();
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed);
  const when = ok ? Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed) : Number.NaN;
  if (Number.isNaN(when)) throw new CliError(`${option} must be an ISO date or date-time, e.g. 2026-11-23 or 2026-11-23T10:15:00Z (got "${text}")`, EXIT.usage);
  return new Date(when).toISOString();
}

/** A plain text table: columns padded to their widest cell. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export const json = (value: unknown): string => `${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
