import { ValidationError } from '../shared/errors.ts';
import { isCurrency } from '../shared/money.ts';
import { isPhoneCountry } from '../shared/phone.ts';

/** Settings an account is opened with, checked before they become facts. */

function invalid(field: string, value: unknown, message: string): never {
  throw new ValidationError(message, { field, value });
}

/**
 * An IANA zone name, returned in its canonical spelling ('asia/karachi' → 'Asia/Karachi').
 * Raw offsets such as '+05:00' are refused: they ignore daylight saving, which an operator
 * scheduling calls in local time would trip over.
 */
export function checkTimeZone(timeZone: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) {
    return invalid('timeZone', timeZone, `"${timeZone}" is not an IANA time zone (e.g. Asia/Karachi).`);
  }
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return invalid('timeZone', timeZone, `"${timeZone}" is not an IANA time zone (e.g. Asia/Karachi).`);
  }
}

export function checkCountry(country: string): string {
  if (!isPhoneCountry(country)) {
    return invalid('defaultCountry', country, `"${country}" is not an ISO 3166 alpha-2 country code (e.g. PK).`);
  }
  return country;
}

export function checkCurrency(currency: string): string {
  if (!isCurrency(currency)) {
    return invalid('currency', currency, `"${currency}" is not an ISO 4217 currency code (e.g. PKR).`);
  }
  return currency;
}

export function checkName(name: string, field: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    return invalid(field, name, `${field} must be 1 to 200 characters.`);
  }
  return trimmed;
}

/** Scopes are non-empty, unique words; kept sorted so the same set always reads the same. */
export function checkScopes(scopes: readonly string[]): string[] {
  const bad = scopes.find((scope) => !/^[a-z][a-z0-9_.:*-]*$/.test(scope));
  if (bad !== undefined) return invalid('scopes', scopes, `"${bad}" is not a valid scope.`);
  return [...new Set(scopes)].sort();
}

/**
 * Emails are compared case-insensitively, so they are kept lowercased and trimmed. The check is
 * deliberately loose (one @, a dot in the domain, no spaces): the mailbox is the owner's business.
 */
export function checkEmail(email: string): string {
  const normal = email.trim().toLowerCase();
  if (normal.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normal)) {
    return invalid('email', email, `"${email}" is not an email address.`);
  }
  return normal;
}

export function checkPlanName(plan: string): string {
  const trimmed = plan.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(trimmed)) {
    return invalid('plan', plan, 'plan must be 1 to 64 letters, digits, spaces, dots, dashes or underscores.');
  }
  return trimmed;
}

/** A per-minute limit: a whole number from 1 to 1,000,000, or null for the operator's default. */
export function checkPerMinute(value: number | null, field: string): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) {
    return invalid(field, value, `${field} must be a whole number from 1 to 1000000, or null.`);
  }
  return value;
}
