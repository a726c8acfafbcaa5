import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/shared/errors.ts';
import { InvalidPhoneNumberError, isPhoneCountry, toE164 } from '../../../src/domain/shared/phone.ts';

function refusal(input: string, country: string): InvalidPhoneNumberError {
  try {
    toE164(input, country);
  } catch (error) {
    if (error instanceof InvalidPhoneNumberError) return error;
    throw error;
  }
  throw new Error(`expected "${input}" (${country}) to be refused`);
}

describe('toE164', () => {
  it.each([
    ['03001234567', 'PK', '+923001234567'],
    ['0300-1234567', 'PK', '+923001234567'],
    ['+92 300 1234567', 'PK', '+923001234567'],
    ['0092 300 1234567', 'PK', '+923001234567'],
    ['+923001234567', 'US', '+923001234567'],
    ['(212) 555-0123', 'US', '+12125550123'],
    ['+1 212-555-0123', 'PK', '+12125550123'],
    ['212.555.0123', 'US', '+12125550123'],
    ['020 7946 0018', 'GB', '+442079460018'],
    ['07911 123456', 'GB', '+447911123456'],
    ['0044 7911 123456', 'US', '+447911123456'],
    ['  +44 (0) 20 7946 0018 ', 'PK', '+442079460018'],
  ])('reads %s with default country %s as %s', (input, country, expected) => {
    expect(toE164(input, country)).toBe(expected);
  });

  it.each([
    ['abc', 'PK', 'NOT_A_NUMBER'],
    ['1-800-FLOWERS', 'US', 'NOT_A_NUMBER'],
    ['0300 12345x7', 'PK', 'NOT_A_NUMBER'],
    ['123', 'PK', 'TOO_SHORT'],
    ['0300123', 'PK', 'TOO_SHORT'],
    ['030012345678901', 'PK', 'TOO_LONG'],
    ['+999 123456', 'PK', 'INVALID_COUNTRY'],
    ['', 'PK', 'NOT_A_NUMBER'],
  ])('refuses %s (%s) because %s', (input, country, reason) => {
    const error = refusal(input, country);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('INVALID_PHONE_NUMBER');
    expect(error.details).toMatchObject({ input, defaultCountry: country, reason });
    expect(error.message).toContain(input);
  });

  it('refuses a well-shaped number in a range that is not in service', () => {
    // UK 07700 900xxx is reserved for drama: the right length, but never assigned.
    expect(refusal('07700 900123', 'GB').details).toMatchObject({ reason: 'NOT_ASSIGNED', country: 'GB' });
  });

  it('refuses an unknown default country instead of guessing', () => {
    expect(refusal('03001234567', 'XX').details).toMatchObject({ reason: 'INVALID_DEFAULT_COUNTRY' });
    expect(refusal('03001234567', 'pk').details).toMatchObject({ reason: 'INVALID_DEFAULT_COUNTRY' });
  });

  it('isPhoneCountry accepts upper-case ISO 3166 alpha-2 codes only', () => {
    expect(isPhoneCountry('PK')).toBe(true);
    expect(isPhoneCountry('GB')).toBe(true);
    expect(isPhoneCountry('UK')).toBe(false);
    expect(isPhoneCountry('pk')).toBe(false);
  });
});
