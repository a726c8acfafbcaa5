/**
 * GET /api/v1/calls/:id/audit and GET /api/v1/balance?at= through the whole engine: a real call on
 * the sandbox account, charged by the billing reactor, audited over HTTP; bad input and other
 * tenants' ids answered in the standard error shape.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { startTestEngine, type RunningEngine } from '../e2e/support/engine.ts';


for (const backend of testDatabases()) {
  describe(`audit API on ${backend.name}`, () => {
    let running: RunningEngine;
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });

    beforeAll(async () => {
      running = await startTestEngine(await backend.open());
    });
    afterAll(async () => {
      await running?.close();
    });

    it('audits a charged call as MATCH, and answers the balance before and after it', async () => {
      const before = new Date().toISOString();
      const placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '03001230105' });
      expect(placed.status).toBe(201);
      const callId = placed.body.id as string;
      const audit = await poll('the charge', async () => {
        const res = await request(running.engine.app).get(`/api/v1/calls/${callId}/audit`).set(auth());
        expect(res.status).toBe(200);
        return res.body.verdict === 'PENDING' ? null : res.body;
      });
      expect(audit).toMatchObject({ callId, verdict: 'MATCH', evidence: { outcome: 'COMPLETED', cause: 16 }, rateInForce: { rate: { prefix: '+92' } } });
      expect(audit.ledger.amountMinor).toBe(audit.recomputed.amountMinor);
      expect(audit.timeline.map((row: { type: string }) => row.type)).toEqual(expect.arrayContaining(['CallRequested', 'CallCompleted', 'CallCharged']));

      const then = await request(running.engine.app).get('/api/v1/balance').query({ at: before }).set(auth());
      expect(then.status).toBe(200);
      const now = await request(running.engine.app).get('/api/v1/balance').query({ at: new Date().toISOString() }).set(auth());
      expect(now.status).toBe(200);
      expect(then.body.balance.amount_minor - now.body.balance.amount_minor).toBe(audit.ledger.amountMinor);
      expect(now.body.balance.currency).toBe('PKR');
      // Without `at`, /balance is the live balance route.
      const live = await request(running.engine.app).get('/api/v1/balance').set(auth());
      expect(live.status).toBe(200);
      expect(live.body.at).toBeUndefined();
    });

    it('refuses a bad or future `at` with 422, and an unknown call with 404', async () => {
      for (const at of ['yesterday', '2026-13-45T00:00:00Z', '', '2026-01-01T00:00:00']) {
        const res = await request(running.engine.app).get('/api/v1/balance').query({ at }).set(auth());
        expect({ at, status: res.status, code: res.body.error?.code }).toEqual({ at, status: 422, code: 'VALIDATION_ERROR' });
      }
      const twice = await request(running.engine.app).get('/api/v1/balance?at=2026-01-01T00:00:00Z&at=2026-01-02T00:00:00Z').set(auth());
      expect(twice.status).toBe(422);
      const future = await request(running.engine.app).get('/api/v1/balance').query({ at: '2999-01-01T00:00:00Z' }).set(auth());
      expect(future.status).toBe(422);
      const missing = await request(running.engine.app).get('/api/v1/calls/00000000-0000-4000-8000-000000000000/audit').set(auth());
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('CALL_NOT_FOUND');
      const unauthenticated = await request(running.engine.app).get('/api/v1/balance?at=2026-01-01T00:00:00Z');
      expect(unauthenticated.status).toBe(401);
    });

    it("another tenant's call is 404", async () => {
      const placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '03001230486' });
      const who = { actor: 'system:test', correlationId: 'other', causationId: 'other' };
      const opened = await running.engine.accounts.open(who, { name: 'Other', defaultCountry: 'PK', currency: 'PKR', timeZone: 'Asia/Karachi' });
      const key = await running.engine.accounts.issueKey(who, opened.accountId, { name: 'k', mode: 'live', scopes: [] });
      await running.engine.waitForProjections(key.position);
      const res = await request(running.engine.app).get(`/api/v1/calls/${placed.body.id}/audit`).set({ Authorization: `Bearer ${key.secret}` });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('CALL_NOT_FOUND');
    });
  });
}
