import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { wav } from '../../support/audio-fixtures.ts';
import { testDatabases } from '../../support/databases.ts';
import { startTestEngine, type RunningEngine } from '../support/engine.ts';
import { allEvents, bearer, CAMPAIGN_ENV, campaignContacts, uploadReadyAudio } from './support.ts';

/**
 * Campaign creates the engine refuses, each through the whole engine, and each leaving nothing
 * behind: no campaign, no contact list, no contacts, in the log or the read models. Then the CSV a
 * spreadsheet exports on a European Windows machine, which must import as it is.
 */

const MAX_BYTES = 2048;
const MAX_ROWS = 5;
const GOOD_CSV = 'phone_number,name\n+923001710001,A\n+923001710002,B\n';

/** Whatever a campaign create may write: the campaign's stream, and the address book's. */
const isCampaignOrContactEvent = (event: RecordedEvent) =>
  event.streamName.startsWith('campaign-') || event.streamName.startsWith('contactbook-') || /^(Campaign|Contact)/.test(event.type);

for (const backend of testDatabases()) {
  describe(`refused campaign creates on ${backend.name}`, () => {
    let running: RunningEngine;
    let audioId: string;
    const app = () => running.engine.app;
    const auth = () => bearer(running.apiKey);

    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), {
        env: { ...CAMPAIGN_ENV, CONTACT_IMPORT_MAX_BYTES: String(MAX_BYTES), CONTACT_IMPORT_MAX_ROWS: String(MAX_ROWS) },
      });
      audioId = await uploadReadyAudio(running);
    });
    afterAll(async () => running?.close());

    /** ZensCall's multipart create: the example's fields, changed by `fields`, with `csv` as the file. */
    function multipart(fields: Record<string, string>, csv: Buffer | string | null = GOOD_CSV) {
      const req = request(app()).post('/api/v1/campaigns').set(auth());
      for (const [name, value] of Object.entries({ name: 'March Promotion', audio_id: audioId, max_retries: '3', concurrent_limit: '10', ...fields })) {
        req.field(name, value);
      }
      if (csv !== null) req.attach('csv_file', typeof csv === 'string' ? Buffer.from(csv) : csv, 'phone_numbers.csv');
      return req;
    }

    let listId: string;
    /** A real list to name in JSON creates, made once: a refusal must not touch it either. */
    async function aList(): Promise<string> {
      if (listId) return listId;
      const contact = await request(app()).post('/api/v1/contacts').set(auth()).send({ name: 'Kept', phone: '+923001720001' });
      expect(contact.status, JSON.stringify(contact.body)).toBe(201);
      const list = await request(app()).post('/api/v1/contact-lists').set(auth()).send({ name: 'Kept list' });
      await request(app()).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(auth()).send({ contact_ids: [contact.body.id] });
      listId = list.body.id;
      return listId;
    }

    function json(body: Record<string, unknown>) {
      return request(app())
        .post('/api/v1/campaigns')
        .set(auth())
        .send({ name: 'Q1 Sales Outreach', audio_id: audioId, contact_list_id: listId, ...body });
    }

    const total = async (path: string) => {
      const res = await request(app()).get(path).set(auth());
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.pagination.total as number;
    };
    const readModels = async () => ({
      campaigns: await total('/api/v1/campaigns'),
      lists: await total('/api/v1/contact-lists'),
      contacts: await total('/api/v1/contacts'),
    });

    /** Sends the request and checks the refusal, and that the log and the read models are as before. */
    async function expectRefusedLeavingNothing(
      send: () => request.Test,
      want: { status: number; code: string | readonly string[]; path?: string; field?: string },
    ): Promise<void> {
      const before = (await allEvents(running.engine.store)).length;
      const modelsBefore = await readModels();
      const res = await send();
      expect(res.status, JSON.stringify(res.body)).toBe(want.status);
      expect(Object.keys(res.body)).toEqual(['error']);
      expect([want.code].flat()).toContain(res.body.error.code);
      if (want.path !== undefined) {
        expect(res.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(want.path);
      }
      if (want.field !== undefined) expect(res.body.error.details.field).toBe(want.field);
      const written = (await allEvents(running.engine.store)).slice(before).filter(isCampaignOrContactEvent);
      expect(written.map((event) => `${event.streamName} ${event.type}`)).toEqual([]);
      expect(await readModels()).toEqual(modelsBefore);
    }

    it('refuses bad CSV uploads whole', async () => {
      await expectRefusedLeavingNothing(() => multipart({}, ''), { status: 422, code: 'CSV_EMPTY' });
      await expectRefusedLeavingNothing(() => multipart({}, '\r\n \n'), { status: 422, code: 'CSV_EMPTY' });
      await expectRefusedLeavingNothing(() => multipart({}, 'phone_number,name\n'), { status: 422, code: 'CSV_EMPTY' });
      await expectRefusedLeavingNothing(() => multipart({}, 'phone_number,name\n12345,A\nnot a number,B\n,C\n'), { status: 422, code: 'CSV_NO_VALID_ROWS' });
      await expectRefusedLeavingNothing(() => multipart({}, wav({ seconds: 0.01 })), { status: 422, code: 'CSV_NOT_TEXT' });
      await expectRefusedLeavingNothing(() => multipart({}, Buffer.from([0xff, 0xfe, 0x33, 0x30, 0x30, 0x0a])), { status: 422, code: 'CSV_NOT_TEXT' });
      await expectRefusedLeavingNothing(() => multipart({}, null), { status: 422, code: 'VALIDATION_ERROR', path: 'csv_file' });

      const big = `phone_number\n${'+923001710001\n'.repeat(Math.ceil(MAX_BYTES / 14) + 1)}`;
      expect(big.length).toBeGreaterThan(MAX_BYTES);
      await expectRefusedLeavingNothing(() => multipart({}, big), { status: 413, code: 'PAYLOAD_TOO_LARGE' });
      const rows = Array.from({ length: MAX_ROWS + 1 }, (_, i) => `+9230017200${String(i + 10)}`);
      await expectRefusedLeavingNothing(() => multipart({}, `phone_number\n${rows.join('\n')}\n`), { status: 413, code: 'CSV_TOO_MANY_ROWS' });
    });

    it('refuses out-of-range settings in either shape before importing anything', async () => {
      await aList();
      for (const value of ['0', '5000', '-1', '2.5', '']) {
        await expectRefusedLeavingNothing(() => multipart({ concurrent_limit: value }), { status: 422, code: 'VALIDATION_ERROR', path: 'concurrent_limit' });
      }
      for (const value of ['-1', '99', '10']) {
        await expectRefusedLeavingNothing(() => multipart({ max_retries: value }), { status: 422, code: 'VALIDATION_ERROR', path: 'max_retries' });
      }
      await expectRefusedLeavingNothing(() => multipart({ timezone: 'Mars/Olympus_Mons' }), { status: 422, code: 'VALIDATION_ERROR', path: 'timezone' });
      // The caller id is read with the account's country once the ids are known, still before the import.
      await expectRefusedLeavingNothing(() => multipart({ caller_id: '12345' }), { status: 422, code: ['INVALID_PHONE_NUMBER', 'VALIDATION_ERROR'] });
      await expectRefusedLeavingNothing(() => multipart({ colour: 'blue' }), { status: 422, code: 'VALIDATION_ERROR', path: 'colour' });

      await expectRefusedLeavingNothing(() => json({ concurrent_calls: 0 }), { status: 422, code: 'VALIDATION_ERROR', path: 'concurrent_calls' });
      await expectRefusedLeavingNothing(() => json({ concurrent_limit: 5000 }), { status: 422, code: 'VALIDATION_ERROR', path: 'concurrent_limit' });
      await expectRefusedLeavingNothing(() => json({ max_retries: -1 }), { status: 422, code: 'VALIDATION_ERROR', path: 'max_retries' });
      await expectRefusedLeavingNothing(() => json({ max_retries: 99 }), { status: 422, code: 'VALIDATION_ERROR', path: 'max_retries' });
      const hours = (calling_hours: unknown) => json({ schedule: { calling_hours, timezone: 'Europe/London' } });
      await expectRefusedLeavingNothing(() => hours({ start: '25:00', end: '18:00' }), { status: 422, code: 'VALIDATION_ERROR', path: 'schedule.calling_hours.start' });
      await expectRefusedLeavingNothing(() => hours({ start: '09:00', end: '09:60' }), { status: 422, code: 'VALIDATION_ERROR', path: 'schedule.calling_hours.end' });
      await expectRefusedLeavingNothing(() => hours({ start: '09:00', end: '09:00' }), { status: 422, code: 'VALIDATION_ERROR', path: 'schedule.calling_hours.end' });
      await expectRefusedLeavingNothing(() => json({ schedule: { timezone: 'Europe/Atlantis' } }), { status: 422, code: 'VALIDATION_ERROR', path: 'schedule.timezone' });
      await expectRefusedLeavingNothing(() => json({ schedule: { start_date: '2026-02-30' } }), { status: 422, code: 'VALIDATION_ERROR', path: 'schedule.start_date' });
    });

    it('answers 404 naming the field for an unknown audio file or contact list', async () => {
      await aList();
      const missingAudio = '00000000-0000-4000-8000-000000000000';
      await expectRefusedLeavingNothing(() => multipart({ audio_id: missingAudio }), { status: 404, code: 'AUDIO_NOT_FOUND', field: 'audio_id' });
      await expectRefusedLeavingNothing(() => json({ audio_id: missingAudio }), { status: 404, code: 'AUDIO_NOT_FOUND', field: 'audio_id' });
      await expectRefusedLeavingNothing(() => json({ audio_id: 'not-even-a-uuid' }), { status: 404, code: 'AUDIO_NOT_FOUND', field: 'audio_id' });
      await expectRefusedLeavingNothing(() => json({ contact_list_id: '00000000-0000-4000-8000-000000000001' }), {
        status: 404,
        code: 'CONTACT_LIST_NOT_FOUND',
        field: 'contact_list_id',
      });
    });

    it('imports a BOM, CRLF, semicolon-delimited CSV with quoted commas and no header row', async () => {
      // Phone first, as a header-less export puts it; the names hold the delimiter-looking commas.
      // The last row names a contact the address book already has: it is called, not copied.
      await aList();
      const csv = '\uFEFF03001730001;"Khan, Ali";Lahore\r\n"+92 300 1730002";"Shah, Sara; Dr.";Karachi\r\n03001730001;"Khan, Ali (again)";Lahore\r\n03001720001;Kept;Quetta\r\n';
      const created = await multipart({ start: 'false' }, csv);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.status).toBe('draft');
      expect(created.body.import).toMatchObject({ imported: 2, duplicates_existing: 1, rejected: 1 });
      expect(created.body.import.errors).toEqual([expect.objectContaining({ line: 3, reason: 'duplicate_in_file' })]);
      const contacts = await campaignContacts(running, created.body.id);
      expect(contacts.map((contact) => contact.phone).sort()).toEqual(['+923001720001', '+923001730001', '+923001730002']);
      expect(created.body.statistics.totals).toMatchObject({ contacts: 3, pending: 3 });
      expect(contacts.every((contact) => contact.state === 'pending')).toBe(true);

      const list = await request(app()).get(`/api/v1/contact-lists/${created.body.contact_list_id}`).set(auth());
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      const byPhone = new Map(list.body.contacts.data.map((contact: any) => [contact.phone, contact]));
      // Without a header nothing names the other columns: they are kept by position, whole.
      expect(byPhone.get('+923001730001')).toMatchObject({ attributes: { column_2: 'Khan, Ali', column_3: 'Lahore' } });
      expect(byPhone.get('+923001730002')).toMatchObject({ attributes: { column_2: 'Shah, Sara; Dr.', column_3: 'Karachi' } });

      // And with a header naming the phone column somewhere other than first.
      const named = await multipart({ start: 'false', name: 'Named column' }, '\uFEFFname;city;Phone Number\r\n"Khan, Ali";Lahore;03001740001\r\n');
      expect(named.status, JSON.stringify(named.body)).toBe(201);
      expect((await campaignContacts(running, named.body.id)).map((contact) => contact.phone)).toEqual(['+923001740001']);
      const namedList = await request(app()).get(`/api/v1/contact-lists/${named.body.contact_list_id}`).set(auth());
      expect(namedList.body.contacts.data).toEqual([expect.objectContaining({ phone: '+923001740001', name: 'Khan, Ali', attributes: { city: 'Lahore' } })]);
    });
  });
}
