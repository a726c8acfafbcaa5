/**
 * GET /api/v1/credits/usage/daily on the whole engine: a charged call shows on today's UTC day,
 * every other day of the range is there with zeros, and another tenant's charges never count.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { bearer, createTenant, startFrontDoorEngine, type FrontDoorEngine } from '../e2e/front-door/support.ts';

const today = () => new Date().toISOString().slice(0, 10);

for (const backend of testDatabases()) {
  describe(`daily usage on ${backend.name}`, () => {
    let running: FrontDoorEngine;
    let otherKey: string;
    let charge: { amount_minor: number; billed_seconds: number };
    const daily = (key: string, query: Record<string, string> = {}) => request(running.engine.app).get('/api/v1/credits/usage/daily').query(query).set(bearer(key));

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open());
      otherKey = (await createTenant(running, 'Other', { email: 'other@example.test', password: 'correct horse battery other' })).ownerKey;
      const placed = await request(running.engine.app).post('/api/v1/calls').set(bearer(running.apiKey)).send({ phone_number: '03001230105' });
      expect(placed.status).toBe(201);
      const usage = await poll('the charge in the read model', async () => {
        const res = await request(running.engine.app).get('/api/v1/credits/usage').set(bearer(running.apiKey));
        return res.body.data?.length === 1 ? res.body.data[0] : null;
      });
      charge = { amount_minor: usage.amount.amount_minor, billed_seconds: usage.computation.billed_seconds };
    }, 60_000);
    afterAll(async () => running?.close());

    it('has every day of the last 30, today with the call, the others with zeros', async () => {
      const res = await daily(running.apiKey);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(30);
      expect(res.body.range).toEqual({ from: res.body.data[0].date, to: today(), days: 30 });
      const last = res.body.data.at(-1);
      expect(last).toEqual({ date: today(), calls: 1, amount: { amount_minor: charge.amount_minor, currency: 'PKR', formatted: expect.any(String) }, billed_seconds: charge.billed_seconds });
      expect(charge.amount_minor).toBeGreaterThan(0);
      for (const day of res.body.data.slice(0, -1)) expect(day).toMatchObject({ calls: 0, amount: { amount_minor: 0, currency: 'PKR' }, billed_seconds: 0 });
      const dates = res.body.data.map((day: { date: string }) => day.date);
      expect([...dates].sort()).toEqual(dates);
    });

    it("never counts another tenant's charges", async () => {
      const res = await daily(otherKey, { from: today(), to: today() });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([{ date: today(), calls: 0, amount: expect.objectContaining({ amount_minor: 0 }), billed_seconds: 0 }]);
    });

    it('refuses a range over 366 days with 400 and a malformed date with 422', async () => {
      const long = await daily(running.apiKey, { from: '2025-01-01', to: '2026-01-02' });
      expect(long.status).toBe(400);
      expect(long.body).toEqual({ error: { code: 'RANGE_TOO_LARGE', message: expect.any(String), details: { max_days: 366, days: 367 } } });
      expect((await daily(running.apiKey, { from: '2025-01-01', to: '2026-01-01' })).body.data).toHaveLength(366);
      const bad = await daily(running.apiKey, { from: '2026-13-01' });
      expect(bad.status).toBe(422);
      expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    });
  });
}
