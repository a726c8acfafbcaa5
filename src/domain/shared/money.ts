import { z } from 'zod';
import { DomainError, ValidationError } from './errors.ts';

/**
 * Money as an integer count of the currency's minor unit (paisa, cent, fils...) plus its
 * ISO 4217 code.
 *
 * Why `number` and not `bigint`: money travels inside events, webhooks and JSON responses, and
 * JSON has no bigint. A `number` restricted to safe integers (|n| ≤ 2^53−1, i.e. about 90 trillion
 * dollars in cents) is far beyond any balance or tariff a telephony operator holds, stays exact,
 * and serialises as itself. Every constructor and operation checks the result is still a safe
 * integer, so precision can never be lost silently. Arithmetic that needs a wider intermediate
 * (scaling by a ratio) is done in bigint and checked on the way back.
 */
export type Money = {
  readonly amountMinor: number;
  readonly currency: string;
};

/**
 * ISO 4217 codes in circulation that a billing account could use. Funds codes and precious
 * metals (XAU...) are left out on purpose: nobody pays for calls in ounces of gold.
 */
const ACTIVE_CURRENCIES = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN ' +
    'BWP BYN BZD CAD CDF CHF CLF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR ' +
    'FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY ' +
    'KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU ' +
    'MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD ' +
    'RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP ' +
    'TRY TTD TWD TZS UAH UGX USD UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ' +
    'ZMW ZWG ZWL'
  ).split(' '),
);

/**
 * Minor-unit exponents that differ from the usual 2, as ISO 4217 lists them. Kept here rather
 * than read from `Intl`, because CLDR's display digits disagree with ISO for some currencies
 * (e.g. it shows IDR and HUF with 0 decimals) and ICU data varies between Node builds.
 */
const EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function isCurrency(code: string): boolean {
  return ACTIVE_CURRENCIES.has(code);
}

/** Digits after the decimal point: PKR 2, JPY 0, KWD 3. */
export function minorUnitExponent(currency: string): number {
  assertCurrency(currency);
  return EXPONENT_EXCEPTIONS[currency] ?? 2;
}

export function assertCurrency(currency: string): void {
  if (!isCurrency(currency)) {
    throw new InvalidCurrencyError(currency);
  }
}

export class InvalidCurrencyError extends ValidationError {
  override readonly code = 'INVALID_CURRENCY';
  constructor(currency: string) {
    super(`"${currency}" is not an ISO 4217 currency code we accept (expected e.g. PKR, USD).`, {
      currency,
    });
    this.name = 'InvalidCurrencyError';
  }
}

export class CurrencyMismatchError extends DomainError {
  constructor(left: string, right: string) {
    super('CURRENCY_MISMATCH', `Cannot combine ${left} with ${right}.`, { left, right });
    this.name = 'CurrencyMismatchError';
  }
}

export class MoneyOverflowError extends DomainError {
  constructor(operation: string) {
    super('MONEY_OVERFLOW', `The result of ${operation} is too large to represent exactly.`, {
      operation,
    });
    this.name = 'MoneyOverflowError';
  }
}

function checkedAmount(amountMinor: number, operation: string): number {
  if (!Number.isSafeInteger(amountMinor)) {
    if (Number.isInteger(amountMinor) || amountMinor === Infinity || amountMinor === -Infinity) {
      throw new MoneyOverflowError(operation);
    }
    throw new ValidationError('Money amounts are whole numbers of minor units.', { amountMinor });
  }
  // -0 would print as "-0.00" and compare oddly in JSON round trips.
  return amountMinor === 0 ? 0 : amountMinor;
}

/** Builds a Money, refusing fractions of a minor unit and unknown currencies. */
export function money(amountMinor: number, currency: string): Money {
  assertCurrency(currency);
  return { amountMinor: checkedAmount(amountMinor, 'money'), currency };
}

export function zeroMoney(currency: string): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amountMinor: checkedAmount(a.amountMinor + b.amountMinor, 'addition'), currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amountMinor: checkedAmount(a.amountMinor - b.amountMinor, 'subtraction'), currency: a.currency };
}

/** -1, 0 or 1, like a sort comparator. Comparing different currencies is an error, not `false`. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  if (a.amountMinor === b.amountMinor) return 0;
  return a.amountMinor < b.amountMinor ? -1 : 1;
}

export function isNegative(m: Money): boolean {
  return m.amountMinor < 0;
}

export type Rounding = 'up' | 'down' | 'half-up';

/**
 * `m × numerator / denominator`, rounded to a whole minor unit: how a per-minute rate becomes the
 * price of so many billable milliseconds. Runs in bigint so the intermediate product cannot lose
 * precision. 'up' and 'down' round away from / towards zero; 'half-up' rounds halves away from zero.
 */
export function scaleMoney(m: Money, numerator: number, denominator: number, rounding: Rounding): Money {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new ValidationError('Scale factors must be safe integers with a positive denominator.', {
      numerator,
      denominator,
    });
  }
  const product = BigInt(m.amountMinor) * BigInt(numerator);
  const den = BigInt(denominator);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  let quotient = magnitude / den;
  const remainder = magnitude % den;
  if (remainder !== 0n) {
    if (rounding === 'up') quotient += 1n;
    else if (rounding === 'half-up' && remainder * 2n >= den) quotient += 1n;
  }
  const signed = negative ? -quotient : quotient;
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyOverflowError('scaling');
  }
  return { amountMinor: checkedAmount(Number(signed), 'scaling'), currency: m.currency };
}

/**
 * Reads a decimal string such as "12.50" into minor units, exactly (no float parsing).
 * More decimals than the currency has is refused rather than rounded.
 */
export function parseMoney(decimal: string, currency: string): Money {
  const exponent = minorUnitExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) {
    throw new ValidationError(`"${decimal}" is not a decimal amount.`, { amount: decimal, currency });
  }
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new ValidationError(`${currency} has ${exponent} decimal places; "${decimal}" has more.`, {
      amount: decimal,
      currency,
      exponent,
    });
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0')) * (sign ? -1n : 1n);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyOverflowError('parsing');
  }
  return money(Number(minor), currency);
}

/**
 * 'PKR 0.00', 'JPY 150', 'KWD 1.250', 'USD -3.05'. No grouping separators and no locale, so the
 * text is the same on every server and safe to put in error messages and logs.
 */
export function formatMoney(m: Money): string {
  const exponent = minorUnitExponent(m.currency);
  const negative = m.amountMinor < 0;
  const digits = String(Math.abs(m.amountMinor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${m.currency} ${negative ? '-' : ''}${whole}${fraction}`;
}

/** The shape of money inside events and API payloads. */
export const MoneySchema = z.object({
  amountMinor: z.number().int().refine(Number.isSafeInteger, 'must be a safe integer'),
  currency: z.string().refine(isCurrency, 'must be an ISO 4217 currency code'),
});
