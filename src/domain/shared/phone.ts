import {
  isSupportedCountry,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';
import { ValidationError } from './errors.ts';

/**
 * Phone numbers enter calltrail however people type them and leave as canonical E.164.
 * The "max" metadata knows which number ranges are actually assigned, so a well-shaped but
 * unallocated number is refused here instead of costing a failed call attempt.
 */

export class InvalidPhoneNumberError extends ValidationError {
  override readonly code = 'INVALID_PHONE_NUMBER';
  constructor(message: string, details: Record<string, unknown>) {
    super(message, details);
    this.name = 'InvalidPhoneNumberError';
  }
}

/** Whether `code` is an ISO 3166 alpha-2 country we can interpret national numbers for. */
export function isPhoneCountry(code: string): code is CountryCode {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

const REASONS: Readonly<Record<string, string>> = {
  TOO_SHORT: 'it has too few digits',
  TOO_LONG: 'it has too many digits',
  NOT_A_NUMBER: 'it does not look like a phone number',
  INVALID_COUNTRY: 'its country code is not recognised',
  INVALID_LENGTH: 'its length is not valid for that country',
  NOT_ASSIGNED: 'no such number range is in service',
};

/** Drops the punctuation people type; anything else unusual is left for the parser to refuse. */
function tidy(input: string): string {
  const compact = input.trim().replace(/[\s\-().\/]/g, '');
  // '00' is the international prefix in most of the world (including PK and GB), but not in
  // North America, so the parser would not read it as '+' with a US default. No national number
  // starts with '00', so rewriting it is safe everywhere.
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

/**
 * Canonical E.164 for `input`, reading national formats with the account's `defaultCountry`.
 * '03001234567' with 'PK' → '+923001234567'; '+1 (212) 555-0123' → '+12125550123'.
 * Throws InvalidPhoneNumberError (code INVALID_PHONE_NUMBER) with the input, country and reason.
 */
export function toE164(input: string, defaultCountry: string): string {
  const details = (reason: string, extra: Record<string, unknown> = {}) => ({
    input,
    defaultCountry,
    reason,
    ...extra,
  });
  const refuse = (reason: string, extra?: Record<string, unknown>): never => {
    throw new InvalidPhoneNumberError(
      `"${input}" is not a valid phone number: ${REASONS[reason] ?? reason}.`,
      details(reason, extra),
    );
  };

  if (!isPhoneCountry(defaultCountry)) {
    throw new InvalidPhoneNumberError(
      `"${defaultCountry}" is not a country code we can read national numbers for.`,
      details('INVALID_DEFAULT_COUNTRY'),
    );
  }
  const candidate = tidy(input);
  // The parser would turn letters into keypad digits (1-800-FLOWERS); a mistyped API field should
  // fail instead of dialling someone.
  if (!/^\+?\d+$/.test(candidate)) return refuse('NOT_A_NUMBER');

  let parsed;
  try {
    parsed = parsePhoneNumberWithError(candidate, defaultCountry);
  } catch (error) {
    if (error instanceof ParseError) return refuse(error.message);
    throw error;
  }
  if (!parsed.isPossible()) {
    const lengthProblem = validatePhoneNumberLength(candidate, defaultCountry) ?? 'INVALID_LENGTH';
    return refuse(lengthProblem, { country: parsed.country ?? null });
  }
  if (!parsed.isValid()) return refuse('NOT_ASSIGNED', { country: parsed.country ?? null });
  return parsed.number;
}
