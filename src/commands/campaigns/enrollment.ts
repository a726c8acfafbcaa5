import type { PhoneTimeZones } from '../../adapters/phone-zones/phone-time-zones.ts';
import type { ContactToEnroll, EnrollContacts } from '../../domain/campaign/commands.ts';
import { windowOf } from '../../domain/campaign/dialing.ts';
import type { SkipReason } from '../../domain/campaign/events.ts';
import type { CampaignSettings } from '../../domain/campaign/settings.ts';
import { resolveZones } from '../../domain/campaign/zones.ts';

/** What enrollment needs of a contact, however the contact store holds it. */
export type ContactForEnrollment = {
  readonly contactId: string;
  /** E.164, as the contact store normalised it. */
  readonly phone: string;
  readonly timeZone: string | null;
  /** Known before enrollment (the do-not-call list); the decider finds invalid numbers and duplicates itself. */
  readonly skip?: SkipReason;
};

/** Contacts per EnrollContacts command: big enough to keep the stream short, small enough for one append. */
export const ENROLLMENT_CHUNK_SIZE = 1000;

/**
 * Resolves each contact's zones (its own, its number's, or the campaign's) and cuts the list into
 * numbered EnrollContacts commands, starting at `firstChunk` (the campaign's next expected chunk).
 */
export async function enrollmentCommands(input: {
  campaignId: string;
  settings: CampaignSettings;
  contacts: readonly ContactForEnrollment[];
  firstChunk: number;
  phoneTimeZones: PhoneTimeZones;
  at: Date;
}): Promise<EnrollContacts[]> {
  const window = windowOf(input.settings);
  const resolved: ContactToEnroll[] = [];
  for (const contact of input.contacts) {
    const numberZones = contact.timeZone === null ? await input.phoneTimeZones(contact.phone) : null;
    const { zones, zoneSource } = resolveZones({
      contactTimeZone: contact.timeZone,
      numberZones,
      campaignTimeZone: input.settings.schedule.timezone,
      window,
      at: input.at,
    });
    resolved.push({ contactId: contact.contactId, phone: contact.phone, zones, zoneSource, ...(contact.skip ? { skip: contact.skip } : {}) });
  }
  const commands: EnrollContacts[] = [];
  for (let from = 0; from < resolved.length; from += ENROLLMENT_CHUNK_SIZE) {
    commands.push({
      type: 'EnrollContacts',
      data: {
        campaignId: input.campaignId,
        chunk: input.firstChunk + commands.length,
        contacts: resolved.slice(from, from + ENROLLMENT_CHUNK_SIZE),
        at: input.at.toISOString(),
      },
    });
  }
  return commands;
}
