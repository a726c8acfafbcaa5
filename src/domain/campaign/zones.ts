import { isTimeZone } from '../shared/local-time.ts';
import { windowsCanOverlap, type CallingWindow } from './calling-window.ts';
import type { ZONE_SOURCES } from './events.ts';

export type ZoneSource = (typeof ZONE_SOURCES)[number];

/**
 * Which zones a contact's calling hours are judged in, decided once at enrollment and recorded on
 * the event (so a later update of the phone-number data never changes what a replay decides):
 * 1. the contact's own time_zone, when it has a valid one;
 * 2. else the zones of the number's region (from the phone-number data, see adapters);
 *    unknown names are dropped, and a set of zones too far apart for the window ever to be open in
 *    all of them at once (US toll-free: Guam to Newfoundland) is not used, since the contact would
 *    wait forever;
 * 3. else the campaign's zone.
 */
export function resolveZones(input: {
  contactTimeZone: string | null;
  numberZones: readonly string[] | null;
  campaignTimeZone: string;
  window: CallingWindow;
  at: Date;
}): { zones: string[]; zoneSource: ZoneSource } {
  if (input.contactTimeZone !== null && isTimeZone(input.contactTimeZone)) {
    return { zones: [input.contactTimeZone], zoneSource: 'contact' };
  }
  const known = [...new Set(input.numberZones ?? [])].filter(isTimeZone).sort();
  if (known.length > 0 && windowsCanOverlap(known, input.window, input.at)) return { zones: known, zoneSource: 'number' };
  return { zones: [input.campaignTimeZone], zoneSource: 'campaign' };
}
