import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOperatorKey } from '../../../src/app/authenticate.ts';
import { reservationFor } from '../../../src/domain/billing/rating.ts';
import { testDatabases } from '../../support/databases.ts';
import { poll } from '../../support/poll.ts';
import { ClockedCampaigns } from './clocked-campaigns.ts';
import { bearer } from './support.ts';

/**
 * A campaign spends through the same placement as POST /calls: each call holds rate × max duration.
 * When the balance no longer covers a hold, the campaign pauses itself (insufficient_balance) and
 * its remaining contacts wait; after a top-up and a resume it finishes them.
 */

const operatorKey = generateOperatorKey();
const MAX_DURATION_SECONDS = 58;
/**
 * One increment of an hour: the hold (58 s + 1 s of margin) and the charge of any answered call under
 * an hour are both exactly one hour, 6000 minor. (On 60/60 a call that the loaded event loop keeps up
 * a few hundred real ms would pass a simulated minute and cost two holds.)
 */
const RATE = { ratePerMinuteMinor: 100, initialIncrementSeconds: 3600, subsequentIncrementSeconds: 3600 };
const HOLD = reservationFor({ rateId: 'x', prefix: '+92', description: null, connectionFeeMinor: 0, minimumBillableSeconds: 0, ...RATE }, MAX_DURATION_SECONDS);

for (const backend of testDatabases()) {
  describe(`a campaign on a balance that covers five calls (${backend.name})`, () => {
    let t: ClockedCampaigns;
    const op = () => bearer(operatorKey.secret);
    beforeAll(async () => {
      t = await ClockedCampaigns.start(backend, '2026-05-01T10:00:00.000Z', { OPERATOR_API_KEY_HASH: operatorKey.hash });
    });
    afterAll(async () => t?.close());

    async function fundedTenant(depositMinor: number): Promise<{ accountId: string; apiKey: string }> {
      const who = { actor: 'system:test', correlationId: 'balance', causationId: 'balance' };
      const { engine } = t.running;
      const opened = await engine.accounts.open(who, { name: 'five calls', defaultCountry: 'PK', currency: 'PKR', timeZone: 'Asia/Karachi' });
      const key = await engine.accounts.issueKey(who, opened.accountId, { name: 'k', mode: 'live', scopes: [] });
      await engine.waitForProjections(key.position);
      const plan = await request(t.app)
        .post('/api/v1/rate-plans')
        .set(op())
        .send({ name: 'five calls plan', currency: 'PKR', rates: [{ prefix: '+92', rate_per_minute_minor: RATE.ratePerMinuteMinor, billing_increment: '3600/3600', connection_fee_minor: 0 }] });
      expect(plan.status, JSON.stringify(plan.body)).toBe(201);
      expect((await request(t.app).put(`/api/v1/accounts/${opened.accountId}/rate-plan`).set(op()).send({ plan_id: plan.body.id })).status).toBe(200);
      await topUp(opened.accountId, depositMinor, 'opening');
      return { accountId: opened.accountId, apiKey: key.secret };
    }

    async function topUp(accountId: string, amountMinor: number, reference: string): Promise<void> {
      const top = await request(t.app).post('/api/v1/credits/purchase').set(op()).send({ account_id: accountId, amount_minor: amountMinor, reference });
      expect(top.status, JSON.stringify(top.body)).toBe(201);
    }

    async function callsRequested(campaignId: string): Promise<number> {
      const all = await t.running.engine.store.readAll({ maxCount: 100_000 });
      return all.filter((event) => event.type === 'CallRequested' && (event.data as { campaignId: string | null }).campaignId === campaignId).length;
    }

    it('places exactly 5 calls, pauses with insufficient_balance leaving the rest pending, and finishes them after a top-up and a resume', async () => {
      expect(HOLD).toBe(6000);
      const tenant = await fundedTenant(5 * HOLD);
      const numbers = Array.from({ length: 10 }, (_, i) => `+9230011393${String(i).padStart(2, '0')}`);
      const id = await t.create(
        {
          audio_id: await t.audioOf(3, tenant.apiKey),
          contact_list_id: await t.listOf(numbers, tenant.apiKey),
          concurrent_limit: 1,
          max_duration_seconds: MAX_DURATION_SECONDS,
          retry_rules: { max_attempts: 1 },
        },
        tenant.apiKey,
      );

      const [paused] = await t.waitForEvents(id, 'CampaignPaused', 1);
      expect(paused!.data).toMatchObject({ reason: 'insufficient_balance' });
      // The sixth claim was given back, not counted as an attempt, and nobody was called for it.
      const released = await t.waitForEvents(id, 'ContactAttemptReleased', 1);
      expect(released).toHaveLength(1);
      expect(released[0]!.data).toMatchObject({ reason: 'insufficient_balance', attempt: 1 });
      await t.settle(id);
      expect(await callsRequested(id)).toBe(5);
      expect(await t.claims(id)).toHaveLength(6);

      // The read model follows the log: wait until it has the pause too (it follows the fifth end).
      const stopped = await t.waitForCampaign(id, 'five calls settled and the pause', (c) => c.statistics.totals.completed === 5 && c.status !== 'running', tenant.apiKey);
      expect(stopped).toMatchObject({ status: 'paused', pause_reason: 'insufficient_balance' });
      expect(stopped.statistics.totals).toMatchObject({ contacts: 10, completed: 5, pending: 5, failed: 0, in_progress: 0 });
      expect(stopped.statistics.attempts).toBe(5);
      const contacts = await t.contacts(id, tenant.apiKey);
      expect([...contacts.values()].filter((c) => c.state === 'pending').every((c) => c.attempts.length === 0)).toBe(true);
      const spent = await poll('the five charges', async () => {
        const balance = await request(t.app).get('/api/v1/balance').set(bearer(tenant.apiKey));
        return balance.body.open_reservations === 0 ? balance.body : null;
      });
      expect(spent.balance.amount_minor).toBe(0);

      // Paused stays paused, whatever the clock does.
      await t.at(id, '2026-05-01T12:00:00.000Z');
      expect(await callsRequested(id)).toBe(5);

      await topUp(tenant.accountId, 5 * HOLD, 'second');
      const resumed = await request(t.app).post(`/api/v1/campaigns/${id}/resume`).set(bearer(tenant.apiKey));
      expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
      expect(resumed.body).toMatchObject({ status: 'running', pause_reason: null });
      const done = await t.waitForCampaign(id, 'completed', (c) => c.status === 'completed', tenant.apiKey);
      expect(done.statistics.totals).toMatchObject({ contacts: 10, completed: 10, pending: 0, failed: 0 });
      expect(done.statistics.attempts).toBe(10);
      expect(await callsRequested(id)).toBe(10);
      expect((await t.events(id)).filter((event) => event.type === 'CampaignPaused')).toHaveLength(1);
    }, 90_000);
  });
}
