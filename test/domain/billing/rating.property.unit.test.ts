import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRate, rateCall, reservationFor, type RateEntry } from '../../../src/domain/billing/rating.ts';

const rate = (over: Partial<RateEntry> = {}): RateEntry => ({
  rateId: 'r1',
  prefix: '+92',
  description: null,
  ratePerMinuteMinor: 120,
  initialIncrementSeconds: 60,
  subsequentIncrementSeconds: 60,
  connectionFeeMinor: 0,
  minimumBillableSeconds: 0,
  ...over,
});

const arbRate = fc.record({
  rateId: fc.constant('r'),
  prefix: fc.constant('+'),
  description: fc.constant(null),
  ratePerMinuteMinor: fc.integer({ min: 0, max: 1_000_000 }),
  initialIncrementSeconds: fc.integer({ min: 1, max: 3600 }),
  subsequentIncrementSeconds: fc.integer({ min: 1, max: 3600 }),
  connectionFeeMinor: fc.integer({ min: 0, max: 100_000 }),
  minimumBillableSeconds: fc.integer({ min: 0, max: 3600 }),
});
const arbMs = fc.integer({ min: 0, max: 4 * 3600 * 1000 });

describe('rateCall: the documented examples', () => {
  it.each([
    [30, 6, 10_000, 30],
    [30, 6, 31_000, 36],
    [30, 6, 30_001, 36],
    [60, 60, 61_000, 120],
    [60, 60, 60_000, 60],
    [1, 1, 61_000, 61],
    [1, 1, 60_001, 61],
  ])('%i/%i bills %i ms as %i s', (initial, subsequent, ms, billed) => {
    const rated = rateCall(rate({ initialIncrementSeconds: initial, subsequentIncrementSeconds: subsequent }), ms);
    expect(rated.billedSeconds).toBe(billed);
    expect(rated.billableMs).toBe(ms);
  });

  it('prices per minute, rounding up to the minor unit, plus the connection fee', () => {
    // 61 s on 1/1 at 120/min = 122; at 100/min = 101.67 → 102.
    expect(rateCall(rate({ initialIncrementSeconds: 1, subsequentIncrementSeconds: 1 }), 61_000).amountMinor).toBe(122);
    const odd = rateCall(rate({ ratePerMinuteMinor: 100, initialIncrementSeconds: 1, subsequentIncrementSeconds: 1, connectionFeeMinor: 5 }), 61_000);
    expect(odd).toMatchObject({ durationChargeMinor: 102, connectionFeeMinor: 5, amountMinor: 107 });
  });

  it('an unanswered attempt costs only the connection fee; one that never reached a carrier costs nothing', () => {
    expect(rateCall(rate(), 0, 'unanswered').amountMinor).toBe(0);
    expect(rateCall(rate({ connectionFeeMinor: 25 }), 5_000, 'unanswered')).toMatchObject({ billedSeconds: 0, amountMinor: 25, billableMs: 0 });
    expect(rateCall(rate({ connectionFeeMinor: 25 }), 0, 'not_dialled').amountMinor).toBe(0);
  });

  it('applies the minimum billable duration to answered calls before the increments', () => {
    expect(rateCall(rate({ initialIncrementSeconds: 1, subsequentIncrementSeconds: 1, minimumBillableSeconds: 10 }), 3_000).billedSeconds).toBe(10);
    expect(rateCall(rate({ initialIncrementSeconds: 6, subsequentIncrementSeconds: 6, minimumBillableSeconds: 10 }), 3_000).billedSeconds).toBe(12);
  });

  it('refuses billable time that is not a whole, non-negative number of milliseconds', () => {
    expect(() => rateCall(rate(), -1)).toThrow(/milliseconds/);
    expect(() => rateCall(rate(), 1.5)).toThrow(/milliseconds/);
  });
});

describe('rateCall: properties', () => {
  it('bills whole seconds: at least the real time, within one increment of it, on the increment grid', () => {
    fc.assert(
      fc.property(arbRate, arbMs, (r, ms) => {
        const rated = rateCall(r, ms);
        const seconds = Math.max(Math.ceil(ms / 1000), r.minimumBillableSeconds);
        expect(rated.billableSeconds * 1000).toBeGreaterThanOrEqual(ms);
        expect(rated.billableSeconds * 1000 - ms).toBeLessThan(1000);
        expect(rated.billedSeconds).toBeGreaterThanOrEqual(seconds);
        if (seconds === 0) expect(rated.billedSeconds).toBe(0);
        else if (seconds <= r.initialIncrementSeconds) expect(rated.billedSeconds).toBe(r.initialIncrementSeconds);
        else {
          expect((rated.billedSeconds - r.initialIncrementSeconds) % r.subsequentIncrementSeconds).toBe(0);
          expect(rated.billedSeconds - seconds).toBeLessThan(r.subsequentIncrementSeconds);
        }
      }),
    );
  });

  it('is integer arithmetic: the amount is the exact ceiling of rate × seconds / 60 plus the fee', () => {
    fc.assert(
      fc.property(arbRate, arbMs, (r, ms) => {
        const rated = rateCall(r, ms);
        const exact = BigInt(r.ratePerMinuteMinor) * BigInt(rated.billedSeconds);
        expect(BigInt(rated.durationChargeMinor) * 60n).toBeGreaterThanOrEqual(exact);
        expect(BigInt(rated.durationChargeMinor) * 60n - exact).toBeLessThan(60n);
        expect(rated.amountMinor).toBe(rated.durationChargeMinor + r.connectionFeeMinor);
        expect(Number.isSafeInteger(rated.amountMinor)).toBe(true);
      }),
    );
  });

  it('never charges less for a longer call, and the reservation covers any call up to the cap', () => {
    fc.assert(
      fc.property(arbRate, arbMs, arbMs, fc.integer({ min: 1, max: 14_400 }), (r, a, b, cap) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        expect(rateCall(r, long).amountMinor).toBeGreaterThanOrEqual(rateCall(r, short).amountMinor);
        const within = Math.min(long, cap * 1000 + 999);
        expect(reservationFor(r, cap)).toBeGreaterThanOrEqual(rateCall(r, within).amountMinor);
      }),
    );
  });
});

describe('findRate: longest prefix on E.164', () => {
  const rates = [rate({ rateId: 'any', prefix: '+' }), rate({ rateId: 'pk', prefix: '+92' }), rate({ rateId: 'pk-mobile', prefix: '+923' })];
  it('picks the longest matching prefix, falls back to the catch-all, and finds nothing without one', () => {
    expect(findRate(rates, '+923001234567')?.rateId).toBe('pk-mobile');
    expect(findRate(rates, '+924235761234')?.rateId).toBe('pk');
    expect(findRate(rates, '+442071234567')?.rateId).toBe('any');
    expect(findRate(rates.slice(1), '+442071234567')).toBeNull();
  });
  it('is independent of the order of the list', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(rates, { minLength: 3, maxLength: 3 }), (shuffled) => {
        expect(findRate(shuffled, '+923001234567')?.rateId).toBe('pk-mobile');
      }),
    );
  });
});
