import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';
import { describe, expect, it } from 'vitest';
import { phoneTimeZones } from '../../../src/adapters/phone-zones/phone-time-zones.ts';
import { resolveZones } from '../../../src/domain/campaign/zones.ts';
import { WEEKDAYS } from '../../../src/domain/shared/local-time.ts';

const window = { hours: { start: '09:00', end: '18:00' }, days: [...WEEKDAYS] };
const at = new Date('2026-03-03T12:00:00Z');

describe('phone number → time zones', () => {
  it('a Pakistani mobile is in Asia/Karachi', async () => {
    expect(await phoneTimeZones('+923001234567')).toEqual(['Asia/Karachi']);
  });

  it('an Alaskan number (+1 907) spans Adak and Anchorage', async () => {
    expect(await phoneTimeZones('+19072345678')).toEqual(['America/Adak', 'America/Anchorage']);
  });

  it('a US toll-free number spans every North American zone', async () => {
    const zones = await phoneTimeZones('+18885550100');
    expect(zones).toEqual(expect.arrayContaining(['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu']));
    expect(zones.length).toBeGreaterThan(10);
  });

  it('a London landline is in Europe/London; a UK mobile also in the Crown dependencies', async () => {
    expect(await phoneTimeZones('+442079460000')).toEqual(['Europe/London']);
    expect(await phoneTimeZones('+447911123456')).toEqual(['Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/London']);
  });

  it('agrees with the package’s own lookup', async () => {
    for (const number of ['+923001234567', '+19072345678', '+442079460000', '+61412345678', '+12125550123', '+4930123456']) {
      expect(await phoneTimeZones(number)).toEqual(await timezones(parsePhoneNumberFromString(number)));
    }
  });

  it('answers [] for what is not a number', async () => {
    expect(await phoneTimeZones('not a number')).toEqual([]);
  });

  it('with resolveZones: the contact’s zone first, then the number’s, and the campaign’s when those can never be open together', async () => {
    const campaignTimeZone = 'America/Chicago';
    const base = { campaignTimeZone, window, at };
    expect(resolveZones({ ...base, contactTimeZone: 'Europe/Paris', numberZones: await phoneTimeZones('+19072345678') })).toEqual({ zones: ['Europe/Paris'], zoneSource: 'contact' });
    expect(resolveZones({ ...base, contactTimeZone: null, numberZones: await phoneTimeZones('+19072345678') })).toEqual({
      zones: ['America/Adak', 'America/Anchorage'],
      zoneSource: 'number',
    });
    expect(resolveZones({ ...base, contactTimeZone: null, numberZones: await phoneTimeZones('+18885550100') })).toEqual({ zones: [campaignTimeZone], zoneSource: 'campaign' });
    expect(resolveZones({ ...base, contactTimeZone: 'Not/AZone', numberZones: [] })).toEqual({ zones: [campaignTimeZone], zoneSource: 'campaign' });
  });
});
