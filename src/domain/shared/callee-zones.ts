import { windowsCanOverlap, type CallingWindow } from './calling-window.ts';
import { isTimeZone } from './local-time.ts';

/**
 * The zones of a number's region that a calling window can be judged in (a campaign's contact, or
 * a single call's callee): unknown names are dropped, and a set of zones too far apart for the
 * window ever to be open in all of them at once (US toll-free: Guam to Newfoundland) is not used,
 * since the call would wait forever. Null when nothing usable is left: the caller then falls back
 * to a zone of its own (the campaign's, or the account's).
 */
export function usableNumberZones(numberZones: readonly string[] | null, window: CallingWindow, at: Date): string[] | null {
  const known = [...new Set(numberZones ?? [])].filter(isTimeZone).sort();
  return known.length > 0 && windowsCanOverlap(known, window, at) ? known : null;
}
