import { describe, expect, it } from 'vitest';
import { ContactService, DEFAULT_IMPORT_SETTINGS, type ContactCaller } from '../../../src/commands/contacts/contact-service.ts';
import { systemClock } from '../../../src/domain/shared/clock.ts';
import { InMemoryEventStore } from '../../support/in-memory-event-store.ts';
import { readWholeLog } from '../../support/whole-log.ts';

/** The import dry run against the real import, chunk by chunk, on the in-memory store. */

const accounts = { settingsOf: async () => ({ defaultCountry: 'PK', maxCallDurationSeconds: null }) };
const caller: ContactCaller = { tenantId: 'tenant-p', actor: 'apikey:k', correlationId: 'c', requestId: 'r' };
const csv = (lines: string[]) => new TextEncoder().encode(`phone_number,name\n${lines.join('\n')}\n`);

describe('ContactService.previewCsv', () => {
  it('reports what the real import then does, over several chunks, writing nothing and leaving the cached book as it was', async () => {
    const store = new InMemoryEventStore();
    // One row a chunk: a number repeated across chunks must still count once.
    const service = new ContactService(store, systemClock, accounts, { ...DEFAULT_IMPORT_SETTINGS, chunkRows: 1 });
    await service.create(caller, { name: 'Old', phone: '+923001900001', email: null, company: null, tags: [], attributes: {}, timeZone: null });
    const file = csv(['+923001900001,Old again', '+923001900002,New', 'nope,Bad', '+923001900003,Other', '+923001900002,New again']);
    const before = (await readWholeLog(store)).length;

    const preview = await service.previewCsv(caller, file, null);
    expect(await readWholeLog(store)).toHaveLength(before);
    expect(preview).toMatchObject({ importId: null, imported: 2, duplicatesExisting: 1, rejected: 2 });

    // Twice: the first preview left no trace in the cached book.
    expect(await service.previewCsv(caller, file, null)).toEqual(preview);
    const real = await service.importCsv(caller, file, null);
    expect({ imported: real.imported, duplicatesExisting: real.duplicatesExisting, rejected: real.rejected, errors: real.errors }).toEqual({
      imported: preview.imported,
      duplicatesExisting: preview.duplicatesExisting,
      rejected: preview.rejected,
      errors: preview.errors,
    });
  });
});
