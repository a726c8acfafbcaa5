import { describe, expect, it } from 'vitest';
import {
  isInsideWindow,
  nextWindowClosing,
  nextWindowOpening,
  windowsCanOverlap,
  type CallingWindow,
} from '../../../src/domain/campaign/index.ts';
import { WEEKDAYS } from '../../../src/domain/shared/local-time.ts';

const everyDay = [...WEEKDAYS];
const officeHours: CallingWindow = { hours: { start: '09:00', end: '18:00' }, days: everyDay };
const at = (iso: string) => new Date(iso);
const opening = (zones: string[], window: CallingWindow, now: string) => nextWindowOpening(zones, window, at(now))?.toISOString() ?? null;

describe('calling hours in the callee’s zone', () => {
  it('given Karachi 09:00–18:00, a clock stepping from 17:55 stops admitting at 18:00 and admits again at 09:00 the next day', () => {
    // Karachi is UTC+5 all year: 17:55 local is 12:55Z.
    const changes: string[] = [];
    let inside = isInsideWindow(['Asia/Karachi'], officeHours, at('2026-03-02T12:55:00Z'));
    expect(inside).toBe(true);
    for (let t = Date.parse('2026-03-02T12:55:00Z'); t <= Date.parse('2026-03-03T04:10:00Z'); t += 60_000) {
      const now = isInsideWindow(['Asia/Karachi'], officeHours, new Date(t));
      if (now !== inside) changes.push(`${new Date(t).toISOString()} ${now ? 'opens' : 'closes'}`);
      inside = now;
    }
    expect(changes).toEqual(['2026-03-02T13:00:00.000Z closes', '2026-03-03T04:00:00.000Z opens']);
    expect(opening(['Asia/Karachi'], officeHours, '2026-03-02T13:00:00Z')).toBe('2026-03-03T04:00:00.000Z');
    expect(nextWindowClosing(['Asia/Karachi'], officeHours, at('2026-03-02T12:55:00Z'))?.toISOString()).toBe('2026-03-02T13:00:00.000Z');
  });

  it('an instant already inside is its own next opening', () => {
    expect(opening(['Asia/Karachi'], officeHours, '2026-03-02T05:00:00.000Z')).toBe('2026-03-02T05:00:00.000Z');
  });

  describe('across a DST change', () => {
    it('New York, clocks forward on 2026-03-08: 09:00 is 14:00Z on the Saturday and 13:00Z on the Sunday', () => {
      expect(opening(['America/New_York'], officeHours, '2026-03-07T13:59:00Z')).toBe('2026-03-07T14:00:00.000Z');
      expect(opening(['America/New_York'], officeHours, '2026-03-07T23:30:00Z')).toBe('2026-03-08T13:00:00.000Z');
      expect(isInsideWindow(['America/New_York'], officeHours, at('2026-03-08T12:59:00Z'))).toBe(false);
      expect(isInsideWindow(['America/New_York'], officeHours, at('2026-03-08T21:59:00Z'))).toBe(true);
      expect(isInsideWindow(['America/New_York'], officeHours, at('2026-03-08T22:00:00Z'))).toBe(false);
    });

    it('New York, a window opening in the skipped hour (02:30) opens at the jump, 03:00 EDT', () => {
      const night: CallingWindow = { hours: { start: '02:30', end: '05:00' }, days: everyDay };
      expect(opening(['America/New_York'], night, '2026-03-08T05:00:00Z')).toBe('2026-03-08T07:00:00.000Z');
    });

    it('New York, clocks back on 2026-11-01: 09:00 is 13:00Z on the Saturday and 14:00Z on the Sunday', () => {
      expect(opening(['America/New_York'], officeHours, '2026-10-31T22:00:00Z')).toBe('2026-11-01T14:00:00.000Z');
      expect(isInsideWindow(['America/New_York'], officeHours, at('2026-11-01T13:30:00Z'))).toBe(false);
    });

    it('New York, a window opening in the repeated hour (01:30) opens the first time 01:30 comes', () => {
      const night: CallingWindow = { hours: { start: '01:30', end: '04:00' }, days: everyDay };
      expect(opening(['America/New_York'], night, '2026-11-01T04:00:00Z')).toBe('2026-11-01T05:30:00.000Z');
    });

    it('London, on 2026-03-29 and 2026-10-25', () => {
      expect(opening(['Europe/London'], officeHours, '2026-03-28T18:00:00Z')).toBe('2026-03-29T08:00:00.000Z');
      expect(opening(['Europe/London'], officeHours, '2026-10-24T17:00:00Z')).toBe('2026-10-25T09:00:00.000Z');
      expect(isInsideWindow(['Europe/London'], officeHours, at('2026-03-29T16:59:00Z'))).toBe(true);
      expect(isInsideWindow(['Europe/London'], officeHours, at('2026-03-29T17:00:00Z'))).toBe(false);
    });
  });

  describe('a window that crosses midnight (20:00–02:00, Fridays only)', () => {
    const lateFriday: CallingWindow = { hours: { start: '20:00', end: '02:00' }, days: ['fri'] };
    // 2026-03-06 is a Friday; Karachi is UTC+5.
    const cases: [string, string, boolean][] = [
      ['Friday 19:59', '2026-03-06T14:59:00Z', false],
      ['Friday 20:00', '2026-03-06T15:00:00Z', true],
      ['Saturday 01:59 (Friday’s window)', '2026-03-06T20:59:00Z', true],
      ['Saturday 02:00', '2026-03-06T21:00:00Z', false],
      ['Friday 01:00 (Thursday’s window)', '2026-03-05T20:00:00Z', false],
      ['Saturday 21:00', '2026-03-07T16:00:00Z', false],
    ];
    for (const [name, instant, expected] of cases) {
      it(`${name} is ${expected ? 'inside' : 'outside'}`, () => {
        expect(isInsideWindow(['Asia/Karachi'], lateFriday, at(instant))).toBe(expected);
      });
    }

    it('opens next on Friday at 20:00 and closes on Saturday at 02:00', () => {
      expect(opening(['Asia/Karachi'], lateFriday, '2026-03-07T00:00:00Z')).toBe('2026-03-13T15:00:00.000Z');
      expect(nextWindowClosing(['Asia/Karachi'], lateFriday, at('2026-03-06T15:00:00Z'))?.toISOString()).toBe('2026-03-06T21:00:00.000Z');
    });
  });

  describe('days of the week', () => {
    const weekdays: CallingWindow = { hours: { start: '09:00', end: '18:00' }, days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
    it('after Friday 18:00 the next opening is Monday 09:00', () => {
      expect(opening(['Europe/London'], weekdays, '2026-03-06T18:00:00Z')).toBe('2026-03-09T09:00:00.000Z');
    });
    it('with no calling hours, any time of an allowed day is inside', () => {
      const sundays: CallingWindow = { hours: null, days: ['sun'] };
      expect(isInsideWindow(['Europe/London'], sundays, at('2026-03-08T23:59:00Z'))).toBe(true);
      expect(opening(['Europe/London'], sundays, '2026-03-09T00:00:00Z')).toBe('2026-03-15T00:00:00.000Z');
    });
  });

  describe('a number in several zones', () => {
    it('waits for the latest zone to open and stops when the earliest closes', () => {
      const zones = ['America/Chicago', 'America/New_York'];
      // Tuesday 2026-03-03: 09:00 EST is 14:00Z, 09:00 CST is 15:00Z; 18:00 EST is 23:00Z.
      expect(isInsideWindow(zones, officeHours, at('2026-03-03T14:30:00Z'))).toBe(false);
      expect(opening(zones, officeHours, '2026-03-03T12:00:00Z')).toBe('2026-03-03T15:00:00.000Z');
      expect(nextWindowClosing(zones, officeHours, at('2026-03-03T15:00:00Z'))?.toISOString()).toBe('2026-03-03T23:00:00.000Z');
    });

    it('Alaska (+1 907: Adak and Anchorage) opens at 09:00 in Adak, an hour after Anchorage', () => {
      // AKST is UTC−9, HST (Adak) UTC−10, in early March before the change.
      expect(opening(['America/Adak', 'America/Anchorage'], officeHours, '2026-03-03T12:00:00Z')).toBe('2026-03-03T19:00:00.000Z');
    });

    it('knows when zones lie too far apart for a window ever to be open in all of them', () => {
      expect(windowsCanOverlap(['America/Chicago', 'America/New_York'], officeHours, at('2026-03-03T12:00:00Z'))).toBe(true);
      expect(windowsCanOverlap(['Pacific/Guam', 'America/St_Johns', 'America/New_York'], officeHours, at('2026-03-03T12:00:00Z'))).toBe(false);
      expect(opening(['Pacific/Guam', 'America/St_Johns'], officeHours, '2026-03-03T12:00:00Z')).toBeNull();
    });
  });

  it('start equal to end is refused', () => {
    expect(() => isInsideWindow(['UTC'], { hours: { start: '09:00', end: '09:00' }, days: everyDay }, at('2026-03-03T12:00:00Z'))).toThrow();
  });
});
