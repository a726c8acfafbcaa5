import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactBookStream } from '../../src/domain/shared/streams.ts';
import { testDatabases } from '../support/databases.ts';
import { bearer, createTenant, startFrontDoorEngine, type FrontDoorEngine } from './front-door/support.ts';

/**
 * Contacts and contact lists over HTTP, on every database backend: the CRUD routes, the 409 for a
 * number that is already a contact, the CSV import and its edge cases, and the whole-file
 * refusals that must leave nothing behind.
 */

const PASSWORD = 'correct horse battery staple';
const LIMITS = { CONTACT_IMPORT_MAX_BYTES: String(64 * 1024), CONTACT_IMPORT_MAX_ROWS: '500' };

for (const backend of testDatabases()) {
  describe(`contacts and contact lists on ${backend.name}`, () => {
    let running: FrontDoorEngine;
    let keyA: string;
    let keyB: string;
    const app = () => running.engine.app;
    const asA = () => bearer(keyA);
    const upload = (path: string, csv: string | Buffer, field = 'file', fields: Record<string, string> = {}) => {
      const req = request(app()).post(path).set(asA());
      for (const [name, value] of Object.entries(fields)) req.field(name, value);
      return req.attach(field, typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv, 'contacts.csv');
    };
    const bookEvents = async (tenantId: string) => (await running.engine.store.readStream(contactBookStream(tenantId))).length;
    let tenantA: string;

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open(), LIMITS);
      const a = await createTenant(running, 'Contacts A', { email: 'a@contacts.example', password: PASSWORD });
      const b = await createTenant(running, 'Contacts B', { email: 'b@contacts.example', password: PASSWORD });
      [keyA, keyB, tenantA] = [a.ownerKey, b.ownerKey, a.accountId];
    });
    afterAll(async () => {
      await running?.close();
    });

    it('creates a contact with its number in E.164, and answers 409 with the existing id for the same number', async () => {
      const created = await request(app())
        .post('/api/v1/contacts')
        .set(asA())
        .send({ name: 'Ali Khan', phone: '0300 1234567', email: 'ali@example.com', company: 'Acme', tags: ['vip'], attributes: { plan: 'gold', seats: 3 }, time_zone: 'Asia/Karachi' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.headers.location).toBe(`/api/v1/contacts/${created.body.id}`);
      expect(created.body).toMatchObject({ name: 'Ali Khan', phone: '+923001234567', email: 'ali@example.com', tags: ['vip'], attributes: { plan: 'gold', seats: 3 }, time_zone: 'Asia/Karachi' });

      const again = await request(app()).post('/api/v1/contacts').set(asA()).send({ name: 'Someone', phone_number: '+92 300 123 4567' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'CONTACT_ALREADY_EXISTS', details: { contact_id: created.body.id, phone: '+923001234567' } });

      // Another tenant may have the same number as its own contact.
      const other = await request(app()).post('/api/v1/contacts').set(bearer(keyB)).send({ name: 'B side', phone: '03001234567' });
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(created.body.id);
    });

    it('follows the scopes of the key: contacts:read reads contacts, and writes nothing', async () => {
      const issued = await request(app()).post('/api/v1/api-keys').set(asA()).send({ name: 'reader', scopes: ['contacts:read'] });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      const reader = bearer(issued.body.key);
      expect((await request(app()).get('/api/v1/contacts').set(reader)).status).toBe(200);
      const write = await request(app()).post('/api/v1/contacts').set(reader).send({ name: 'X', phone: '03091234567' });
      expect(write.status).toBe(403);
      expect(write.body.error.details.required).toBe('contacts:write');
      expect((await request(app()).get('/api/v1/contact-lists').set(reader)).body.error.details.required).toBe('contact-lists:read');
    });

    it('refuses bad input with the standard body, naming the field', async () => {
      const cases: Array<[Record<string, unknown>, number, string, string]> = [
        [{ name: 'X', phone: '12345' }, 422, 'INVALID_PHONE_NUMBER', ''],
        [{ phone: '03011234567' }, 422, 'VALIDATION_ERROR', 'name'],
        [{ name: 'X' }, 422, 'VALIDATION_ERROR', 'phone'],
        [{ name: 'X', phone: '03011234567', time_zone: 'Mars/Olympus' }, 422, 'VALIDATION_ERROR', 'time_zone'],
        [{ name: 'X', phone: '03011234567', email: 'nope' }, 422, 'VALIDATION_ERROR', 'email'],
        [{ name: 'X', phone: '03011234567', tags: 'vip' }, 422, 'VALIDATION_ERROR', 'tags'],
        [{ name: 'X', phone: '03011234567', attributes: { a: { nested: true } } }, 422, 'VALIDATION_ERROR', 'attributes.a'],
        [{ name: 'X', phone: '03011234567', favourite_colour: 'blue' }, 422, 'VALIDATION_ERROR', 'favourite_colour'],
      ];
      for (const [body, status, code, path] of cases) {
        const res = await request(app()).post('/api/v1/contacts').set(asA()).send(body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.body.error.code).toBe(code);
        expect(Object.keys(res.body.error)).toEqual(['code', 'message', 'details']);
        if (path) expect(res.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
      }
      const unknown = crypto.randomUUID();
      expect((await request(app()).get(`/api/v1/contacts/${unknown}`).set(asA())).status).toBe(404);
      expect((await request(app()).get('/api/v1/contacts/not-an-id').set(asA())).status).toBe(404);
      expect((await request(app()).patch(`/api/v1/contacts/${unknown}`).set(asA()).send({ name: 'x' })).body.error.code).toBe('CONTACT_NOT_FOUND');
      expect((await request(app()).delete(`/api/v1/contacts/${unknown}`).set(asA())).status).toBe(404);
      expect((await request(app()).get('/api/v1/contacts?limit=1000').set(asA())).status).toBe(422);
    });

    it('lists, searches by name, number or email, filters by tag, pages; gets, patches and deletes', async () => {
      const make = async (name: string, phone: string, extra: Record<string, unknown> = {}) => {
        const res = await request(app()).post('/api/v1/contacts').set(asA()).send({ name, phone, ...extra });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.id as string;
      };
      const zara = await make('Zara Sheikh', '03331112233', { email: 'zara@shop.example', tags: ['lead'] });
      const omar = await make('Omar Farooq', '03441112233', { tags: ['lead', 'vip'] });
      const search = async (query: string) => (await request(app()).get(`/api/v1/contacts?${query}`).set(asA())).body;
      expect((await search('search=zara')).data.map((c: { id: string }) => c.id)).toEqual([zara]);
      expect((await search('search=3441112')).data.map((c: { id: string }) => c.id)).toEqual([omar]);
      expect((await search('search=SHOP.example')).data.map((c: { id: string }) => c.id)).toEqual([zara]);
      expect((await search('search=%25')).data).toEqual([]);
      const vip = (await search('tag=vip')).data.map((c: { id: string }) => c.id);
      expect(vip).toContain(omar);
      expect(vip).not.toContain(zara);
      expect((await search('tag=lead')).pagination.total).toBe(2);
      const paged = await search('page=2&limit=1');
      expect(paged.pagination).toMatchObject({ page: 2, per_page: 1 });
      expect(paged.data).toHaveLength(1);

      const patched = await request(app()).patch(`/api/v1/contacts/${omar}`).set(asA()).send({ company: 'Farooq & Sons', phone: '0345 1112233', time_zone: null });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body).toMatchObject({ id: omar, company: 'Farooq & Sons', phone: '+923451112233', name: 'Omar Farooq', tags: ['lead', 'vip'] });
      const clash = await request(app()).patch(`/api/v1/contacts/${omar}`).set(asA()).send({ phone: '03331112233' });
      expect(clash.status).toBe(409);
      expect(clash.body.error.details.contact_id).toBe(zara);
      expect((await request(app()).patch(`/api/v1/contacts/${omar}`).set(asA()).send({})).status).toBe(422);
      expect((await request(app()).patch(`/api/v1/contacts/${omar}`).set(asA()).send({ name: null })).status).toBe(422);

      expect((await request(app()).get(`/api/v1/contacts/${zara}`).set(asA())).body.name).toBe('Zara Sheikh');
      expect((await request(app()).delete(`/api/v1/contacts/${zara}`).set(asA())).status).toBe(204);
      expect((await request(app()).get(`/api/v1/contacts/${zara}`).set(asA())).status).toBe(404);
      // Its number is free again.
      expect((await request(app()).post('/api/v1/contacts').set(asA()).send({ name: 'New Zara', phone: '03331112233' })).status).toBe(201);
    });

    it("shows a contact's call history: the tenant's calls to its number", async () => {
      const contact = await request(app()).post('/api/v1/contacts').set(asA()).send({ name: 'Callee', phone: '+923001230486' });
      const call = await request(app()).post('/api/v1/calls').set(asA()).send({ phone_number: '03001230486' });
      expect(call.status, JSON.stringify(call.body)).toBe(201);
      await request(app()).post('/api/v1/calls').set(asA()).send({ phone_number: '03009998877' });
      const deadline = Date.now() + 15_000;
      let history = await request(app()).get(`/api/v1/contacts/${contact.body.id}/calls`).set(asA());
      while (history.body.data?.length !== 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        history = await request(app()).get(`/api/v1/contacts/${contact.body.id}/calls`).set(asA());
      }
      expect(history.status).toBe(200);
      expect(history.body.data.map((c: { id: string }) => c.id)).toEqual([call.body.id]);
      expect(history.body.pagination.total).toBe(1);
      expect((await request(app()).get(`/api/v1/contacts/${contact.body.id}/calls`).set(bearer(keyB))).status).toBe(404);
    });

    it('creates lists, adds and removes contacts, shows the count and a page of contacts; foreign ids are 404', async () => {
      const list = await request(app()).post('/api/v1/contact-lists').set(asA()).send({ name: 'Q1 Sales', description: 'first quarter' });
      expect(list.status, JSON.stringify(list.body)).toBe(201);
      expect(list.body).toMatchObject({ name: 'Q1 Sales', description: 'first quarter', contact_count: 0 });
      const ids: string[] = [];
      for (const phone of ['03051000001', '03051000002', '03051000003']) {
        ids.push((await request(app()).post('/api/v1/contacts').set(asA()).send({ name: phone, phone })).body.id);
      }
      const added = await request(app()).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(asA()).send({ contact_ids: ids });
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      expect(added.body.contact_count).toBe(3);
      expect((await request(app()).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(asA()).send({ contact_ids: [ids[0]] })).body.contact_count).toBe(3);

      expect((await request(app()).delete(`/api/v1/contact-lists/${list.body.id}/contacts/${ids[0]}`).set(asA())).status).toBe(204);
      expect((await request(app()).delete(`/api/v1/contact-lists/${list.body.id}/contacts/${ids[0]}`).set(asA())).body.error.code).toBe('CONTACT_NOT_IN_LIST');
      expect((await request(app()).delete(`/api/v1/contact-lists/${list.body.id}/contacts`).set(asA()).send({ contact_ids: [ids[1]] })).status).toBe(204);
      const shown = await request(app()).get(`/api/v1/contact-lists/${list.body.id}?limit=10`).set(asA());
      expect(shown.body).toMatchObject({ id: list.body.id, contact_count: 1, contacts: { pagination: { total: 1 } } });
      expect(shown.body.contacts.data.map((c: { id: string }) => c.id)).toEqual([ids[2]]);
      expect((await request(app()).get('/api/v1/contact-lists').set(asA())).body.data.map((l: { id: string }) => l.id)).toContain(list.body.id);

      // Tenant B's contact, an unknown contact and an unknown list.
      const theirs = (await request(app()).post('/api/v1/contacts').set(bearer(keyB)).send({ name: 'B', phone: '03051000009' })).body.id;
      const foreign = await request(app()).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(asA()).send({ contact_ids: [theirs] });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error).toMatchObject({ code: 'CONTACT_NOT_FOUND', details: { contact_ids: [theirs] } });
      expect((await request(app()).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(asA()).send({ contact_ids: ['nope'] })).status).toBe(404);
      expect((await request(app()).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(asA()).send({ contact_ids: [] })).status).toBe(422);
      expect((await request(app()).get(`/api/v1/contact-lists/${list.body.id}`).set(bearer(keyB))).status).toBe(404);
      expect((await request(app()).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(bearer(keyB)).send({ contact_ids: [theirs] })).status).toBe(404);
      expect((await request(app()).post('/api/v1/contact-lists').set(asA()).send({ description: 'no name' })).status).toBe(422);
    });

    it('imports a CSV with a BOM, CRLF, `;` and quoted fields, reporting bad rows by line and linking known numbers', async () => {
      const known = (await request(app()).post('/api/v1/contacts').set(asA()).send({ name: 'Known', phone: '03061000001' })).body.id;
      const list = (await request(app()).post('/api/v1/contact-lists').set(asA()).send({ name: 'Imported' })).body.id;
      const csv =
        '\uFEFFName;Mobile;Company;Tags;City\r\n' +
        '"Khan, Ali";0306 1000002;"Acme; Ltd";vip|lead;"Lahore, PK"\r\n' +
        'Known again;03061000001;;;\r\n' +
        'Bad;12345;;;\r\n' +
        'Twice;03061000002;;;\r\n' +
        'Sara;+923061000003;;;Karachi\r\n';
      const res = await upload('/api/v1/contacts/import', csv, 'csv_file', { contact_list_id: list });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ list_id: list, imported: 2, duplicates_existing: 1, rejected: 2 });
      expect(res.body.import_id).toEqual(expect.any(String));
      expect(res.body.errors.map((e: { line: number; phone: string; reason: string }) => [e.line, e.phone, e.reason])).toEqual([
        [4, '12345', 'invalid_number'],
        [5, '03061000002', 'duplicate_in_file'],
      ]);
      const shown = await request(app()).get(`/api/v1/contact-lists/${list}`).set(asA());
      expect(shown.body.contact_count).toBe(3);
      expect(shown.body.contacts.data.map((c: { id: string }) => c.id)).toContain(known);
      const ali = (await request(app()).get('/api/v1/contacts?search=3061000002').set(asA())).body.data[0];
      expect(ali).toMatchObject({ name: 'Khan, Ali', phone: '+923061000002', company: 'Acme; Ltd', tags: ['vip', 'lead'], attributes: { City: 'Lahore, PK' } });
    });

    it('imports a file without a header (phone first) into a list by its own route, and by list_id', async () => {
      const list = (await request(app()).post('/api/v1/contact-lists').set(asA()).send({ name: 'Headless' })).body.id;
      const res = await upload(`/api/v1/contact-lists/${list}/import`, '03071000001,Ali\n03071000002,Sara\n');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ list_id: list, imported: 2, rejected: 0 });
      const first = (await request(app()).get('/api/v1/contacts?search=3071000001').set(asA())).body.data[0];
      expect(first).toMatchObject({ name: '+923071000001', attributes: { column_2: 'Ali' } });
      const byField = await upload('/api/v1/contacts/import', 'phone,name\n03071000003,Omar\n', 'file', { list_id: list });
      expect(byField.body).toMatchObject({ list_id: list, imported: 1 });
      expect((await request(app()).get(`/api/v1/contact-lists/${list}`).set(asA())).body.contact_count).toBe(3);
    });

    it('refuses whole files (empty, no valid row, binary, not UTF-8, too large, too many rows, foreign list) and writes nothing', async () => {
      const list = (await request(app()).post('/api/v1/contact-lists').set(asA()).send({ name: 'Untouched' })).body.id;
      const before = await bookEvents(tenantA);
      const rows = (n: number) => Array.from({ length: n }, (_, i) => `0308${(1_000_000 + i).toString()}`).join('\n');
      const refusals: Array<[string | Buffer, number, string]> = [
        ['', 422, 'CSV_EMPTY'],
        ['phone,name\r\n', 422, 'CSV_EMPTY'],
        ['phone\n123\nabc\n', 422, 'CSV_NO_VALID_ROWS'],
        [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), 422, 'CSV_NOT_TEXT'],
        [Buffer.concat([Buffer.from('phone\n03081000001\n'), Buffer.from([0xc3, 0x28])]), 422, 'CSV_NOT_TEXT'],
        [rows(501), 413, 'CSV_TOO_MANY_ROWS'],
        [`phone,notes\n${'03081000001,' + 'x'.repeat(70 * 1024)}\n`, 413, 'PAYLOAD_TOO_LARGE'],
      ];
      for (const [csv, status, code] of refusals) {
        const res = await upload(`/api/v1/contact-lists/${list}/import`, csv);
        expect(res.status, `${code}: ${JSON.stringify(res.body)}`).toBe(status);
        expect(res.body.error.code).toBe(code);
      }
      const foreign = await request(app()).post('/api/v1/contact-lists').set(bearer(keyB)).send({ name: 'B list' });
      const intoForeign = await upload('/api/v1/contacts/import', rows(3), 'file', { list_id: foreign.body.id });
      expect(intoForeign.status).toBe(404);
      expect(intoForeign.body.error.code).toBe('CONTACT_LIST_NOT_FOUND');
      expect((await upload(`/api/v1/contact-lists/${foreign.body.id}/import`, rows(3))).status).toBe(404);
      expect((await upload('/api/v1/contacts/import', rows(3), 'attachment')).status).toBe(422);
      expect((await upload('/api/v1/contacts/import', rows(3), 'file', { colour: 'blue' })).status).toBe(422);
      const json = await request(app()).post('/api/v1/contacts/import').set(asA()).send({ file: 'phone\n03001234567' });
      expect(json.status).toBe(415);
      expect(await bookEvents(tenantA)).toBe(before);
      expect((await request(app()).get(`/api/v1/contact-lists/${list}`).set(asA())).body.contact_count).toBe(0);
      // Exactly at the row limit is fine.
      expect((await upload(`/api/v1/contact-lists/${list}/import`, rows(500))).body).toMatchObject({ imported: 500 });
    });
  });
}
