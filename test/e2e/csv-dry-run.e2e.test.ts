import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { startTestEngine, type RunningEngine } from './support/engine.ts';
import { allEvents, bearer, CAMPAIGN_ENV, uploadReadyAudio } from './campaigns/support.ts';

/**
 * `?dry_run=true` on the two CSV uploads the console previews: the campaign create (ZensCall
 * multipart) and the contacts import. The answer is the per-row report the real request gives for
 * the same file, and the log's head does not move.
 */

const CSV = 'phone_number,name\n+923001810001,Ann\n12345,Too short\n+923001810002,Bob\nnot a number,Nobody\n+923001819999,Already here\n';

for (const backend of testDatabases()) {
  describe(`CSV dry runs on ${backend.name}`, () => {
    let running: RunningEngine;
    let audioId: string;
    const app = () => running.engine.app;
    const auth = () => bearer(running.apiKey);
    const head = async () => {
      const log = await allEvents(running.engine.store);
      return { count: log.length, last: log.at(-1)?.position };
    };
    const campaignUpload = (query: string, csv = CSV, fields: Record<string, string> = {}) => {
      const req = request(app()).post(`/api/v1/campaigns${query}`).set(auth());
      for (const [name, value] of Object.entries({ name: 'Preview me', audio_id: audioId, max_retries: '1', concurrent_limit: '2', ...fields })) req.field(name, value);
      return req.attach('csv_file', Buffer.from(csv), 'numbers.csv');
    };
    const contactsUpload = (query: string, csv = CSV) => request(app()).post(`/api/v1/contacts/import${query}`).set(auth()).attach('file', Buffer.from(csv), 'contacts.csv');
    const withoutIds = (report: Record<string, unknown>) => ({ ...report, import_id: null, list_id: null });

    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), { env: CAMPAIGN_ENV });
      audioId = await uploadReadyAudio(running);
      const existing = await request(app()).post('/api/v1/contacts').set(auth()).send({ name: 'Already here', phone: '+923001819999' });
      expect(existing.status).toBe(201);
    });
    afterAll(async () => running?.close());

    it('previews a contacts import the same way, and refuses what the real import refuses', async () => {
      const csv = CSV.replace(/18100/g, '18200');
      const before = await head();
      const preview = await contactsUpload('?dry_run=true', csv);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body).toMatchObject({ dry_run: true, import_id: null, imported: 2, duplicates_existing: 1, rejected: 2 });
      expect(await head()).toEqual(before);
      const real = await contactsUpload('', csv);
      expect(real.status).toBe(201);
      const { dry_run: _flag, ...previewReport } = preview.body;
      expect(withoutIds(real.body)).toEqual(withoutIds(previewReport));

      // A second preview now sees those numbers as already in the book.
      expect((await contactsUpload('?dry_run=1', csv)).body).toMatchObject({ imported: 0, duplicates_existing: 3 });
      const atHead = await head();
      const empty = await contactsUpload('?dry_run=true', 'phone_number\n');
      expect(empty.status).toBe(422);
      expect(empty.body.error.code).toBe('CSV_EMPTY');
      const badAudio = await campaignUpload('?dry_run=true', CSV, { audio_id: '00000000-0000-4000-8000-000000000000' });
      expect(badAudio.status).toBe(404);
      expect(badAudio.body.error.code).toBe('AUDIO_NOT_FOUND');
      const badFlag = await contactsUpload('?dry_run=maybe', csv);
      expect(badFlag.status).toBe(422);
      expect(badFlag.body.error.details.issues[0].path).toBe('dry_run');
      expect(await head()).toEqual(atHead);
    });

    it('previews a campaign upload: the per-row report, bad rows named, nothing appended', async () => {
      const before = await head();
      const preview = await campaignUpload('?dry_run=true');
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body).toMatchObject({ dry_run: true, import: { import_id: null, imported: 2, duplicates_existing: 1, rejected: 2 } });
      expect(preview.body.import.errors.map((e: { line: number }) => e.line)).toEqual([3, 5]);
      expect(await head()).toEqual(before);
      expect((await request(app()).get('/api/v1/campaigns').set(auth())).body.pagination.total).toBe(0);

      // The real create reports the same rows the same way.
      const created = await campaignUpload('');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(withoutIds(created.body.import)).toEqual(withoutIds(preview.body.import));
    });
  });
}
