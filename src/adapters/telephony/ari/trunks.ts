import type { TrunkConfig } from './config.ts';

/** The trunk with the longest matching prefix wins; a trunk without prefixes catches the rest. */
export function trunkFor(trunks: readonly TrunkConfig[], e164: string): TrunkConfig | null {
  let best: { trunk: TrunkConfig; length: number } | null = null;
  for (const trunk of trunks) {
    const length = matchLength(trunk, e164);
    if (length !== null && (best === null || length > best.length)) best = { trunk, length };
  }
  return best?.trunk ?? null;
}

function matchLength(trunk: TrunkConfig, e164: string): number | null {
  if (trunk.prefixes.length === 0) return 0;
  const lengths = trunk.prefixes.filter((prefix) => e164.startsWith(prefix)).map((prefix) => prefix.length);
  return lengths.length === 0 ? null : Math.max(...lengths);
}

/** `{number}` = digits without the plus, `{e164}` = the number exactly as stored. */
export function dialString(template: string, e164: string): string {
  const digits = e164.replace(/^\+/, '');
  return template.replaceAll('{e164}', e164).replaceAll('{number}', digits);
}
