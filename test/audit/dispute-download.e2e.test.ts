/**
 * GET /api/v1/calls/:id/audit/report: the dispute report `calltrail export dispute` writes, as a
 * download for the call's own tenant, in each of the CLI's formats; another tenant's call is a 404.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDispute } from '../../src/reports/dispute.ts';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { bearer, createTenant, startFrontDoorEngine, type FrontDoorEngine } from '../e2e/front-door/support.ts';

for (const backend of testDatabases()) {
  describe(`dispute report download on ${backend.name}`, () => {
    let running: FrontDoorEngine;
    let otherKey: string;
    let callId: string;
    const report = (id: string, key: string, format?: string) =>
      request(running.engine.app)
        .get(`/api/v1/calls/${id}/audit/report`)
        .query(format === undefined ? {} : { format })
        .set(bearer(key))
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => done(null, text));
        });

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open());
      otherKey = (await createTenant(running, 'Other', { email: 'other@example.test', password: 'correct horse battery other' })).ownerKey;
      const placed = await request(running.engine.app).post('/api/v1/calls').set(bearer(running.apiKey)).send({ phone_number: '03001230105' });
      expect(placed.status).toBe(201);
      callId = placed.body.id;
      await poll('the charge', async () => {
        const res = await request(running.engine.app).get(`/api/v1/calls/${callId}/audit`).set(bearer(running.apiKey));
        return res.status === 200 && res.body.verdict !== 'PENDING';
      });
    }, 60_000);
    afterAll(async () => running?.close());

    it('is the CLI report, as an attachment named after the call, in html (default), json and csv', async () => {
      const html = await report(callId, running.apiKey);
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(html.headers['content-disposition']).toBe(`attachment; filename="dispute-${callId}.html"`);
      expect(html.body).toMatch(/^<!doctype html>/);
      expect(html.body).not.toMatch(/<script/i);

      const json = await report(callId, running.apiKey, 'json');
      expect(json.headers['content-disposition']).toBe(`attachment; filename="dispute-${callId}.json"`);
      const parsed = JSON.parse(json.body);
      expect(parsed).toMatchObject({ kind: 'call', call: { callId, verdict: 'MATCH' }, compliance: { callId, blocked: false, violations: [] } });
      // The very renderer the CLI uses, on the same subject: byte for byte.
      const audit = await running.engine.audit.service.call(callId);
      const compliance = await running.engine.audit.compliance.call(callId);
      expect(json.body).toBe(renderDispute({ kind: 'call', audit, compliance }, 'json', parsed.generatedAt));

      const csv = await report(callId, running.apiKey, 'CSV');
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="dispute-${callId}.csv"`);
      const [header, row] = csv.body.trim().split('\n');
      expect(header!.split(',')[0]).toBe('call_id');
      expect(row!.startsWith(`${callId},MATCH,`)).toBe(true);
    });

    it("answers 404 for another tenant's call and for an unknown or malformed id, 422 for an unknown format", async () => {
      for (const [id, key] of [
        [callId, otherKey],
        ['00000000-0000-4000-8000-000000000000', running.apiKey],
        ['not-a-call', running.apiKey],
      ] as const) {
        const res = await request(running.engine.app).get(`/api/v1/calls/${id}/audit/report`).set(bearer(key));
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), details: expect.any(Object) } });
      }
      const bad = await request(running.engine.app).get(`/api/v1/calls/${callId}/audit/report?format=pdf`).set(bearer(running.apiKey));
      expect(bad.status).toBe(422);
      expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    });
  });
}
