/**
 * Asterisk stamps events like `2026-11-23T11:16:33.123+0000`: no colon in the offset, which
 * neither zod's ISO check nor every parser accepts. We normalise to UTC ISO-8601.
 */
const ASTERISK_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})$/;

export function asteriskTimeToIso(stamp: unknown): string | null {
  if (typeof stamp !== 'string') return null;
  const match = ASTERISK_TIME.exec(stamp.trim());
  if (!match) return null;
  const [, local, offset] = match;
  const normalisedOffset = offset === 'Z' ? 'Z' : `${offset!.slice(0, 3)}:${offset!.slice(-2)}`;
  const parsed = new Date(`${local}${normalisedOffset}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}
