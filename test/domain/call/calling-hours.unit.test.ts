import { describe, expect, it } from 'vitest';
import { effectiveCallingHours, judgeCallingHours, OutsideCallingHoursError } from '../../../src/domain/call/calling-hours.ts';
import type { CallingHoursPolicy } from '../../../src/domain/shared/calling-hours.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';
import { WEEKDAYS } from '../../../src/domain/shared/local-time.ts';

const hours = (start: string, end: string, more: Partial<CallingHoursPolicy> = {}): CallingHoursPolicy => ({
  start,
  end,
  days: [...WEEKDAYS],
  enforce: false,
  ...more,
});
const judge = (policy: CallingHoursPolicy | null, now: string, numberZones: string[] | null = ['Asia/Karachi'], accountTimeZone = 'UTC') =>
  judgeCallingHours({ hours: policy, numberZones, accountTimeZone, now: new Date(now) });

describe('calling hours for a single call', () => {
  it('puts no restriction on a call when there are no hours', () => {
    expect(judge(null, '2026-03-02T23:00:00Z')).toBeNull();
  });

  it('permits a call inside the hours in the callee’s zone, and refuses one outside with the next opening', () => {
    // Karachi is UTC+5: 04:00Z is 09:00 there.
    expect(judge(hours('09:00', '18:00'), '2026-03-02T04:00:00Z')).toEqual({ permitted: true, zones: ['Asia/Karachi'] });
    expect(judge(hours('09:00', '18:00'), '2026-03-02T03:59:00Z')).toEqual({
      permitted: false,
      zones: ['Asia/Karachi'],
      nextPermittedAt: new Date('2026-03-02T04:00:00Z'),
    });
    // 18:00 is already outside: the next opening is the following morning.
    expect(judge(hours('09:00', '18:00'), '2026-03-02T13:00:00Z')).toMatchObject({ permitted: false, nextPermittedAt: new Date('2026-03-03T04:00:00Z') });
  });

  it('reads hours that cross midnight as one window running into the next morning', () => {
    const night = hours('20:00', '02:00');
    expect(judge(night, '2026-03-02T20:30:00Z')).toMatchObject({ permitted: true }); // 01:30 in Karachi
    expect(judge(night, '2026-03-02T21:00:00Z')).toMatchObject({ permitted: false, nextPermittedAt: new Date('2026-03-03T15:00:00Z') });
    expect(judge(night, '2026-03-02T15:00:00Z')).toMatchObject({ permitted: true }); // 20:00 sharp
  });

  it('with several zones, is inside only when every zone is, and opens when the last one does', () => {
    const zones = ['America/Chicago', 'America/New_York'];
    // 14:30Z on a March Monday before US DST: 09:30 in New York, 08:30 in Chicago.
    expect(judge(hours('09:00', '17:00'), '2026-03-02T14:30:00Z', zones)).toEqual({
      permitted: false,
      zones,
      nextPermittedAt: new Date('2026-03-02T15:00:00Z'),
    });
    expect(judge(hours('09:00', '17:00'), '2026-03-02T15:00:00Z', zones)).toMatchObject({ permitted: true });
    // 17:00 in New York closes the joint window even though Chicago is still at 16:00.
    expect(judge(hours('09:00', '17:00'), '2026-03-02T22:00:00Z', zones)).toMatchObject({ permitted: false });
  });

  it('falls back to the account’s zone when the number’s region is unknown or its zones never overlap', () => {
    expect(judge(hours('09:00', '18:00'), '2026-03-02T10:00:00Z', [], 'Europe/London')).toEqual({ permitted: true, zones: ['Europe/London'] });
    expect(judge(hours('09:00', '18:00'), '2026-03-02T10:00:00Z', null, 'Asia/Tokyo')).toMatchObject({ permitted: false, zones: ['Asia/Tokyo'] });
    const farApart = ['Pacific/Guam', 'America/St_Johns'];
    expect(judge(hours('09:00', '10:00'), '2026-03-02T08:00:00Z', farApart, 'Europe/London')).toMatchObject({ zones: ['Europe/London'] });
  });

  it('only calls on the allowed days', () => {
    const weekdays = hours('09:00', '18:00', { days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    // Saturday 2026-03-07, 10:00 in Karachi: the next opening is Monday 09:00.
    expect(judge(weekdays, '2026-03-07T05:00:00Z')).toMatchObject({ permitted: false, nextPermittedAt: new Date('2026-03-09T04:00:00Z') });
  });

  it('lets a call replace or drop the account’s hours unless the account enforces them', () => {
    const account = hours('09:00', '18:00');
    expect(effectiveCallingHours(account, undefined)).toBe(account);
    expect(effectiveCallingHours(account, null)).toBeNull();
    expect(effectiveCallingHours(null, hours('08:00', '09:00'))).toEqual(hours('08:00', '09:00'));
    const enforced = hours('09:00', '18:00', { enforce: true });
    expect(effectiveCallingHours(enforced, undefined)).toBe(enforced);
    for (const own of [null, hours('00:00', '23:59')]) {
      expect(() => effectiveCallingHours(enforced, own)).toThrow(expect.objectContaining({ code: 'CALLING_HOURS_ENFORCED' }));
    }
  });

  it('explains a refusal with the next permitted time and the zones, as the API shows them', () => {
    const verdict = judge(hours('09:00', '18:00'), '2026-03-02T03:00:00Z');
    if (!verdict || verdict.permitted) throw new Error('expected a refusal');
    const error = new OutsideCallingHoursError(verdict);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('OUTSIDE_CALLING_HOURS');
    expect(error.details).toEqual({ next_permitted_at: '2026-03-02T04:00:00.000Z', zones: ['Asia/Karachi'] });
  });
});
