import { describe, expect, it } from 'vitest';
import { daysOf, endOfRange, startOfRange, usageDayRange } from '../../../src/domain/billing/usage-days.ts';
import { DomainError, ValidationError } from '../../../src/domain/shared/errors.ts';

const now = new Date('2026-12-03T23:59:00Z');

describe('usage day ranges', () => {
  it('defaults to the 30 UTC days ending today, both ends included', () => {
    const range = usageDayRange(null, null, now);
    expect(range).toEqual({ from: '2026-11-04', to: '2026-12-03' });
    expect(daysOf(range)).toHaveLength(30);
    expect(daysOf(range).at(-1)).toBe('2026-12-03');
    expect(startOfRange(range)).toBe('2026-11-04T00:00:00.000Z');
    expect(endOfRange(range)).toBe('2026-12-04T00:00:00.000Z');
  });

  it('takes explicit days, a `from` alone ending today, and a `to` alone starting 29 days before', () => {
    expect(daysOf(usageDayRange('2026-02-27', '2026-03-01', now))).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(usageDayRange('2026-12-01', null, now)).toEqual({ from: '2026-12-01', to: '2026-12-03' });
    expect(usageDayRange(null, '2026-01-30', now)).toEqual({ from: '2026-01-01', to: '2026-01-30' });
  });

  it('allows 366 days and refuses 367 as RANGE_TOO_LARGE', () => {
    expect(daysOf(usageDayRange('2025-01-01', '2026-01-01', now))).toHaveLength(366);
    const tooLong = () => usageDayRange('2025-01-01', '2026-01-02', now);
    expect(tooLong).toThrow(DomainError);
    try {
      tooLong();
    } catch (error) {
      expect((error as DomainError).code).toBe('RANGE_TOO_LARGE');
    }
  });

  it('refuses what is not a calendar day, and from after to', () => {
    for (const [from, to] of [['2026-02-30', null], ['yesterday', null], [null, '2026-12-03T00:00:00Z'], ['2026-12-02', '2026-12-01']] as const) {
      expect(() => usageDayRange(from, to, now)).toThrow(ValidationError);
    }
  });
});
