import { isTimeZone } from '../shared/local-time.ts';
import type { CallingWindow } from '../shared/calling-window.ts';
import { usableNumberZones } from '../shared/callee-zones.ts';
import type { ZONE_SOURCES } from './events.ts';

export type ZoneSource = (typeof ZONE_SOURCES)[number];

/**
 * Which zones a contact's calling hours are judged in, decided once at enrollment and recorded on
 * the event (so a later update of the phone-number data never changes what a replay decides):
 * 1. the contact's own time_zone, when it has a valid one;
 * 2. else the zones of the number's region (from the phone-number data, see adapters), when
 *    they are usable (shared/callee-zones.ts);
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
  const known = usableNumberZones(input.numberZones, input.window, input.at);
  if (known) return { zones: known, zoneSource: 'number' };
  return { zones: [input.campaignTimeZone], zoneSource: 'campaign' };
}
