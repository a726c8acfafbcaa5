import { describe, expect, it } from 'vitest';
import { phoneTimeZones } from '../../../src/adapters/phone-zones/phone-time-zones.ts';
import { ENROLLMENT_CHUNK_SIZE, enrollmentCommands } from '../../../src/commands/campaigns/enrollment.ts';
import { settingsWith } from '../../domain/campaign/fixtures.ts';

describe('enrollment commands', () => {
  it('resolve each contact’s zones and number the chunks from the campaign’s next one', async () => {
    const contacts = [
      { contactId: 'pk', phone: '+923001234567', timeZone: null },
      { contactId: 'own', phone: '+923001234568', timeZone: 'Europe/Paris' },
      { contactId: 'tollfree', phone: '+18885550100', timeZone: null, skip: 'dnc' as const },
      ...Array.from({ length: ENROLLMENT_CHUNK_SIZE }, (_, i) => ({ contactId: `c${i}`, phone: `+9230${10000000 + i}`, timeZone: null })),
    ];
    const settings = settingsWith({ schedule: { callingHours: { start: '09:00', end: '18:00' }, timezone: 'Asia/Karachi' } });
    const commands = await enrollmentCommands({ campaignId: 'camp-1', settings, contacts, firstChunk: 2, phoneTimeZones, at: new Date('2026-03-02T10:00:00Z') });
    expect(commands.map((command) => [command.data.chunk, command.data.contacts.length])).toEqual([[2, ENROLLMENT_CHUNK_SIZE], [3, 3]]);
    expect(commands[0]!.data.contacts.slice(0, 3)).toEqual([
      { contactId: 'pk', phone: '+923001234567', zones: ['Asia/Karachi'], zoneSource: 'number' },
      { contactId: 'own', phone: '+923001234568', zones: ['Europe/Paris'], zoneSource: 'contact' },
      { contactId: 'tollfree', phone: '+18885550100', zones: ['Asia/Karachi'], zoneSource: 'campaign', skip: 'dnc' },
    ]);
  });
});
