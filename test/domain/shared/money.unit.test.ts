import { describe, expect, it } from 'vitest';
import { DomainError, ValidationError } from '../../../src/domain/shared/errors.ts';
import {
  addMoney,
  compareMoney,
  CurrencyMismatchError,
  formatMoney,
  isCurrency,
  minorUnitExponent,
  money,
  MoneySchema,
  parseMoney,
  scaleMoney,
  subtractMoney,
  zeroMoney,
} from '../../../src/domain/shared/money.ts';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}

describe('currencies', () => {
  it.each([
    ['PKR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
  ])('%s has %i minor-unit digits', (currency, exponent) => {
    expect(minorUnitExponent(currency)).toBe(exponent);
  });

  it('accepts ISO 4217 codes only', () => {
    expect(isCurrency('PKR')).toBe(true);
    expect(isCurrency('pkr')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
    expect(isCurrency('XAU')).toBe(false);
    expect(codeOf(() => money(100, 'ABC'))).toBe('INVALID_CURRENCY');
    expect(() => money(100, 'ABC')).toThrow(ValidationError);
  });
});

describe('formatMoney', () => {
  it.each([
    [0, 'PKR', 'PKR 0.00'],
    [5, 'PKR', 'PKR 0.05'],
    [123456, 'PKR', 'PKR 1234.56'],
    [-305, 'USD', 'USD -3.05'],
    [0, 'JPY', 'JPY 0'],
    [150, 'JPY', 'JPY 150'],
    [1250, 'KWD', 'KWD 1.250'],
    [7, 'KWD', 'KWD 0.007'],
    [-1, 'KWD', 'KWD -0.001'],
  ])('%i minor units of %s read %s', (amount, currency, text) => {
    expect(formatMoney(money(amount, currency))).toBe(text);
  });

  it('fits the low-balance message', () => {
    expect(`Your balance is too low to make this call. Current balance: ${formatMoney(zeroMoney('PKR'))}`).toBe(
      'Your balance is too low to make this call. Current balance: PKR 0.00',
    );
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and compares within one currency', () => {
    const a = money(1050, 'PKR');
    const b = money(75, 'PKR');
    expect(addMoney(a, b)).toEqual({ amountMinor: 1125, currency: 'PKR' });
    expect(subtractMoney(b, a)).toEqual({ amountMinor: -975, currency: 'PKR' });
    expect(compareMoney(a, b)).toBe(1);
    expect(compareMoney(b, a)).toBe(-1);
    expect(compareMoney(a, money(1050, 'PKR'))).toBe(0);
  });

  it('refuses to mix currencies', () => {
    const pkr = money(100, 'PKR');
    const usd = money(100, 'USD');
    expect(() => addMoney(pkr, usd)).toThrow(CurrencyMismatchError);
    expect(codeOf(() => subtractMoney(pkr, usd))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => compareMoney(pkr, usd))).toBe('CURRENCY_MISMATCH');
  });

  it('refuses fractions of a minor unit and results beyond exact integers', () => {
    expect(() => money(10.5, 'PKR')).toThrow(ValidationError);
    expect(() => money(Number.NaN, 'PKR')).toThrow(ValidationError);
    expect(codeOf(() => money(Number.POSITIVE_INFINITY, 'PKR'))).toBe('MONEY_OVERFLOW');
    expect(codeOf(() => addMoney(money(Number.MAX_SAFE_INTEGER, 'USD'), money(1, 'USD')))).toBe('MONEY_OVERFLOW');
  });

  it('scales by a ratio with explicit rounding (a per-minute rate over billable milliseconds)', () => {
    const perMinute = money(250, 'PKR'); // PKR 2.50 a minute
    expect(scaleMoney(perMinute, 30_500, 60_000, 'up')).toEqual(money(128, 'PKR')); // 127.08 → 128
    expect(scaleMoney(perMinute, 30_500, 60_000, 'down')).toEqual(money(127, 'PKR'));
    expect(scaleMoney(perMinute, 30_000, 60_000, 'half-up')).toEqual(money(125, 'PKR'));
    expect(scaleMoney(money(3, 'PKR'), 1, 2, 'half-up')).toEqual(money(2, 'PKR'));
    expect(scaleMoney(money(-3, 'PKR'), 1, 2, 'half-up')).toEqual(money(-2, 'PKR'));
    expect(() => scaleMoney(perMinute, 1, 0, 'up')).toThrow(ValidationError);
  });

  it('parses decimal text exactly, refusing more decimals than the currency has', () => {
    expect(parseMoney('12.5', 'PKR')).toEqual(money(1250, 'PKR'));
    expect(parseMoney('0.1', 'USD')).toEqual(money(10, 'USD'));
    expect(parseMoney('-1.005', 'KWD')).toEqual(money(-1005, 'KWD'));
    expect(parseMoney('150', 'JPY')).toEqual(money(150, 'JPY'));
    expect(() => parseMoney('1.5', 'JPY')).toThrow(ValidationError);
    expect(() => parseMoney('1e3', 'USD')).toThrow(ValidationError);
  });

  it('MoneySchema accepts what money() builds and refuses floats and unknown currencies', () => {
    expect(MoneySchema.safeParse(money(100, 'PKR')).success).toBe(true);
    expect(MoneySchema.safeParse({ amountMinor: 1.5, currency: 'PKR' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amountMinor: 1, currency: 'ZZZ' }).success).toBe(false);
  });
});
