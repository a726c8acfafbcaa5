import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOperatorKey } from '../../src/app/authenticate.ts';
import { reservationFor, type RateEntry } from '../../src/domain/billing/rating.ts';
import { ledgerEffect } from '../../src/domain/billing/wallet-events.ts';
import { callStream, walletStream } from '../../src/domain/shared/streams.ts';
import { BillingReactor } from '../../src/reactors/billing.ts';
import { BillingService } from '../../src/commands/billing/billing-service.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import { BILLING_TABLES } from '../../src/projections/billing/schema.ts';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { startTestEngine, type RunningEngine } from '../e2e/support/engine.ts';

const operatorKey = generateOperatorKey();
const TERMINAL = new Set(['COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST']);
const charged = (body: any) => TERMINAL.has(body.status) && body.charge !== null && body.charge !== undefined;


/** 1 PKR a minute on 60/60 to +92, and the hold one 58-second call takes at it: the crowd tests fund exactly 10. */
const crowdRate = {
  rate: { billing_increment: '60/60', rate_per_minute_minor: 100 },
  hold: reservationFor(
    { rateId: 'x', prefix: '+92', description: null, ratePerMinuteMinor: 100, initialIncrementSeconds: 60, subsequentIncrementSeconds: 60, connectionFeeMinor: 0, minimumBillableSeconds: 0 },
    58,
  ),
};

for (const backend of testDatabases()) {
  describe(`billing end to end on ${backend.name}`, () => {
    let running: RunningEngine;
    const app = () => running.engine.app;
    const op = () => ({ Authorization: `Bearer ${operatorKey.secret}` });

    /** A fresh tenant with its own key, a plan with one rate for +92, and `deposit` minor units. */
    async function tenant(name: string, rate: Partial<RateEntry> & { billing_increment: string; rate_per_minute_minor: number }, depositMinor: number) {
      const who = { actor: 'system:test', correlationId: name, causationId: name };
      const opened = await running.engine.accounts.open(who, { name, defaultCountry: 'PK', currency: 'PKR', timeZone: 'Asia/Karachi' });
      const key = await running.engine.accounts.issueKey(who, opened.accountId, { name: 'k', mode: 'live', scopes: [] });
      await running.engine.waitForProjections(key.position);
      const plan = await request(app()).post('/api/v1/rate-plans').set(op()).send({
        name: `${name} plan`,
        currency: 'PKR',
        rates: [{ prefix: '+92', rate_per_minute_minor: rate.rate_per_minute_minor, billing_increment: rate.billing_increment, connection_fee_minor: rate.connectionFeeMinor ?? 0 }],
      });
      expect(plan.status).toBe(201);
      const assigned = await request(app()).put(`/api/v1/accounts/${opened.accountId}/rate-plan`).set(op()).send({ plan_id: plan.body.id });
      expect(assigned.status).toBe(200);
      if (depositMinor > 0) {
        const top = await request(app()).post('/api/v1/credits/purchase').set(op()).send({ account_id: opened.accountId, amount_minor: depositMinor, reference: `${name}-opening` });
        expect(top.status).toBe(201);
      }
      return { accountId: opened.accountId, auth: { Authorization: `Bearer ${key.secret}` }, planId: plan.body.id as string };
    }

    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), { env: { OPERATOR_API_KEY_HASH: operatorKey.hash } });
    });
    afterAll(async () => {
      await running?.close();
    });

    it('the sandbox demo account is funded and priced out of the box', async () => {
      const balance = await request(app()).get('/api/v1/balance').set('Authorization', `Bearer ${running.apiKey}`);
      expect(balance.status).toBe(200);
      expect(balance.body.balance).toEqual({ amount_minor: 1_000_000, currency: 'PKR', formatted: 'PKR 10000.00' });
      expect(balance.body.rate_plan.rates.map((r: any) => r.prefix)).toEqual(['+92', '+']);
      const alias = await request(app()).get('/api/v1/credits/balance').set('Authorization', `Bearer ${running.apiKey}`);
      expect(alias.body.balance).toEqual(balance.body.balance);
    });

    it('a 61-second call is charged 2 minutes on 60/60 and 61 seconds on 1/1; an unanswered call is free; the charge shows its evidence', async () => {
      const minute = await tenant('sixty', { billing_increment: '60/60', rate_per_minute_minor: 120 }, 100_000);
      const second = await tenant('one', { billing_increment: '1/1', rate_per_minute_minor: 120 }, 100_000);
      const place = (who: { auth: object }, number: string) =>
        request(app()).post("/api/v1/calls").set(who.auth as Record<string, string>).send({ phone_number: number, max_duration_seconds: 300 });

      const a = await place(minute, '+923001230161');
      const b = await place(second, '+923001230161');
      const busy = await place(minute, '+923001230486');
      expect([a.status, b.status, busy.status]).toEqual([201, 201, 201]);

      const get = (who: { auth: object }, id: string) =>
        poll(`charge of ${id}`, async () => {
          const res = await request(app()).get(`/api/v1/calls/${id}`).set(who.auth as Record<string, string>);
          return res.status === 200 && charged(res.body) ? res.body : null;
        });
      const callA = await get(minute, a.body.id);
      const callB = await get(second, b.body.id);
      const callBusy = await get(minute, busy.body.id);

      expect(callA.billable_ms).toBe(61_000);
      expect(callA.charge.computation).toMatchObject({ billable_ms: 61_000, billable_seconds: 61, billed_seconds: 120, billing_increment: '60/60' });
      expect(callA.charge.amount).toEqual({ amount_minor: 240, currency: 'PKR', formatted: 'PKR 2.40' });
      expect(callB.charge.computation).toMatchObject({ billable_ms: 61_000, billed_seconds: 61, billing_increment: '1/1' });
      expect(callB.charge.amount.amount_minor).toBe(122);
      expect(callBusy.status).toBe('BUSY');
      expect(callBusy.charge.amount.amount_minor).toBe(0);
      expect(callBusy.charge.computation.billed_seconds).toBe(0);
      expect(callBusy.charge.evidence).toMatchObject({ attempt: 'unanswered', answered_at: null, hangup_cause: { code: 17 } });

      // The evidence is the call's own facts: answer and hangup times, cause, and the event settled.
      expect(callA.charge.evidence).toMatchObject({
        attempt: 'answered',
        answered_at: callA.answered_at,
        ended_at: callA.ended_at,
        billable_ms: 61_000,
        hangup_cause: { code: 16 },
        terminal_event_type: 'CallCompleted',
      });
      const completed = callA.timeline.find((entry: any) => entry.type === 'CallCompleted');
      expect(callA.charge.evidence.terminal_event_id).toBe(completed.event_id);
      expect(callA.charge.rate).toMatchObject({ plan_id: minute.planId, plan_version: 1, prefix: '+92', rate_per_minute: { amount_minor: 120 } });

      // Balance: the holds are released, only the charges stay.
      const balance = await poll('released holds', async () => {
        const res = await request(app()).get('/api/v1/balance').set(minute.auth);
        return res.body.open_reservations === 0 ? res.body : null;
      });
      expect(balance.balance.amount_minor).toBe(100_000 - 240);
      expect(balance.available.amount_minor).toBe(100_000 - 240);

      const usage = await request(app()).get('/api/v1/credits/usage?per_page=1').set(minute.auth);
      expect(usage.status).toBe(200);
      expect(usage.body.totals).toMatchObject({ calls: 2, amount: { amount_minor: 240 }, billed_seconds: 120 });
      expect(usage.body.data).toHaveLength(1);
      expect(usage.body.pagination).toMatchObject({ total: 2, total_pages: 2 });
      const empty = await request(app()).get('/api/v1/credits/usage?from=2020-01-01&to=2020-01-31').set(minute.auth);
      expect(empty.body.totals.calls).toBe(0);

      // Tenant isolation: another account's call shows no charge (it is not found at all).
      expect((await request(app()).get(`/api/v1/calls/${a.body.id}`).set(second.auth)).status).toBe(404);

      // Redelivery: the terminal event delivered again, and a second reactor replaying the whole log, charge nothing more.
      const history = await running.engine.store.readStream(callStream(a.body.id));
      const terminal = history.find((event) => event.type === 'CallCompleted')!;
      running.engine.billing.service.wallets.clear();
      expect(await running.engine.billing.reactor.charge(terminal)).toBe('already_charged');
      const replay = new BillingReactor(running.engine.database.db, running.engine.store, running.engine.billing.service, { now: () => new Date() }, { checkpointName: 'test:replay' });
      await replay.start();
      const last = (await running.engine.store.readStream(walletStream(minute.accountId))).at(-1)!;
      await poll('the replaying reactor', async () => replay.position !== null && replay.position.commit >= terminal.position.commit);
      await replay.stop();
      const wallet = await running.engine.store.readStream(walletStream(minute.accountId));
      expect(wallet.filter((event) => event.type === 'CallCharged')).toHaveLength(2);
      expect(wallet.at(-1)!.metadata.eventId).toBe(last.metadata.eventId);
    });

    it('100 concurrent placements on a balance that covers exactly 10: 10 accepted, 90 refused with 402, never below zero', async () => {
      const { rate, hold } = crowdRate;
      const who = await tenant('crowd', rate, hold * 10);
      const responses = await Promise.all(
        Array.from({ length: 100 }, () => request(app()).post('/api/v1/calls').set(who.auth).send({ phone_number: '+923001230486', max_duration_seconds: 58 })),
      );
      const statuses = responses.map((res) => res.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.filter((s) => s === 402)).toHaveLength(90);
      const refused = responses.find((res) => res.status === 402)!;
      expect(refused.body.error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', message: 'Your balance is too low to make this call. Current balance: PKR 0.00' });

      const log = await running.engine.store.readStream(walletStream(who.accountId));
      let balance = 0;
      let reserved = 0;
      for (const event of log) {
        const effect = ledgerEffect(event);
        balance += effect.balance;
        reserved += effect.reserved;
        expect(balance).toBeGreaterThanOrEqual(0);
        expect(balance - reserved).toBeGreaterThanOrEqual(0);
      }
      expect(log.filter((event) => event.type === 'FundsReserved')).toHaveLength(10);
      // Busy calls are free: once charged, every hold is back.
      const settled = await poll('ten settled calls', async () => {
        const res = await request(app()).get('/api/v1/balance').set(who.auth);
        return res.body.totals.calls_charged === 10 && res.body.open_reservations === 0 ? res.body : null;
      });
      expect(settled.available.amount_minor).toBe(hold * 10);
    });

    it('two processes holding on one wallet at once, each with its own wallet queue: exactly 10 of 100, never below zero', async () => {
      // The second process: its own BillingService (its own queue, cache and batches) on the same
      // store. Nothing queues the two together; only the wallet stream's expected revision does.
      const { rate, hold } = crowdRate;
      const who = await tenant('two-processes', rate, hold * 10);
      const { engine } = running;
      const other = new BillingService(engine.store, systemClock, engine.accountQueries);
      const services = [engine.billing.service, other];
      const reserve = (n: number) =>
        services[n % 2]!.reserve({ callId: `two-${n}`, tenantId: who.accountId, to: '+923001230486', maxDurationSeconds: 58, actor: 'system:test', correlationId: `two-${n}`, now: new Date() }).then(
          () => 'held',
          (error: { code?: string }) => error.code ?? String(error),
        );
      // Ten waves of ten at once, five to each process: within a wave each process appends its five as one
      // batch, so the second batch of the first wave meets the first one's append through the revision check.
      const outcomes: string[] = [];
      for (let wave = 0; wave < 10; wave++) outcomes.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => reserve(wave * 10 + i)))));
      expect(outcomes.filter((o) => o === 'held')).toHaveLength(10);
      expect(outcomes.filter((o) => o === 'INSUFFICIENT_BALANCE')).toHaveLength(90);
      // Both processes won some: the holds really raced across the two queues.
      expect(new Set(outcomes.flatMap((o, n) => (o === 'held' ? [n % 2] : []))).size).toBe(2);
      let balance = 0;
      let reserved = 0;
      for (const event of await engine.store.readStream(walletStream(who.accountId))) {
        const effect = ledgerEffect(event);
        balance += effect.balance;
        reserved += effect.reserved;
        expect(balance - reserved).toBeGreaterThanOrEqual(0);
      }
      expect(reserved).toBe(hold * 10);
    });

    it('rebuilding the billing read models from the log gives identical rows', async () => {
      const snapshot = async () => {
        const out: Record<string, unknown[]> = {};
        for (const table of BILLING_TABLES) {
          const rows = await running.engine.database.db.selectFrom(table).selectAll().execute();
          out[table] = rows.map((row) => JSON.stringify(row)).sort();
        }
        return out;
      };
      const all = await running.engine.store.readAll({ maxCount: 100_000 });
      await running.engine.waitForProjections(all.at(-1)!.position);
      const before = await snapshot();
      expect(before.billing_charges!.length).toBeGreaterThanOrEqual(13);
      const runner = running.engine.runner('billing')!;
      await runner.rebuild();
      await runner.waitFor(all.at(-1)!.position);
      expect(await snapshot()).toEqual(before);
    });

    it('operator routes take the operator key only, and bad input gets a clear 4xx', async () => {
      const demo = { Authorization: `Bearer ${running.apiKey}` };
      expect((await request(app()).post('/api/v1/credits/purchase').set(demo).send({ account_id: running.accountId, amount_minor: 1, reference: 'x' })).status).toBe(401);
      expect((await request(app()).post('/api/v1/credits/purchase').send({})).status).toBe(401);
      expect((await request(app()).get('/api/v1/rate-plans').set(demo)).status).toBe(401);

      const purchase = (body: object) => request(app()).post('/api/v1/credits/purchase').set(op()).send(body);
      const bad = await purchase({ account_id: running.accountId, amount_minor: 1.5, reference: 'r' });
      expect(bad.status).toBe(422);
      expect(bad.body.error.code).toBe('VALIDATION_ERROR');
      expect((await purchase({ account_id: running.accountId, amount: 12.5, reference: 'r' })).status).toBe(422); // money is never a float
      expect((await purchase({ account_id: running.accountId, amount_minor: 100, amount: '1.00', reference: 'r' })).status).toBe(422);
      expect((await purchase({ account_id: running.accountId, amount_minor: -5, reference: 'r' })).status).toBe(422);
      expect((await purchase({ account_id: running.accountId, amount_minor: 100 })).status).toBe(422);
      expect((await purchase({ account_id: 'nobody', amount_minor: 100, reference: 'r' })).status).toBe(404);
      expect((await purchase({ account_id: running.accountId, amount_minor: 100, currency: 'USD', reference: 'r' })).body.error.code).toBe('CURRENCY_MISMATCH');
      expect((await purchase({ account_id: running.accountId, amount: '1.005', reference: 'r' })).status).toBe(422);
      const malformed = await request(app()).post('/api/v1/credits/purchase').set(op()).set('Content-Type', 'application/json').send('{"account_id":');
      expect(malformed.status).toBe(400);

      const first = await purchase({ account_id: running.accountId, amount: '150.25', reference: 'bank-transfer-77' });
      expect(first.status).toBe(201);
      const again = await purchase({ account_id: running.accountId, amount: '150.25', reference: 'bank-transfer-77' });
      expect(again.status).toBe(200);
      expect(again.body.recorded).toBe(false);
      expect(again.body.balance.amount_minor).toBe(first.body.balance.amount_minor);
      const clash = await purchase({ account_id: running.accountId, amount: '10.00', reference: 'bank-transfer-77' });
      expect(clash.status).toBe(409);
      expect(clash.body.error.code).toBe('DEPOSIT_REFERENCE_IN_USE');

      const plan = (body: object) => request(app()).post('/api/v1/rate-plans').set(op()).send(body);
      expect((await plan({ name: 'x', currency: 'PKR', rates: [] })).status).toBe(422);
      expect((await plan({ name: 'x', currency: 'PKR', rates: [{ prefix: '92', rate_per_minute_minor: 1 }] })).status).toBe(422);
      expect((await plan({ name: 'x', currency: 'PKR', rates: [{ prefix: '+92', rate_per_minute_minor: 1, billing_increment: '0/6' }] })).status).toBe(422);
      const dup = await plan({ name: 'x', currency: 'PKR', rates: [{ prefix: '+92', rate_per_minute_minor: 1 }, { prefix: '+92', rate_per_minute_minor: 2, rate_id: 'b' }] });
      expect(dup.status).toBe(422);
      const created = await plan({ id: 'uk-only', name: 'UK', currency: 'PKR', rates: [{ prefix: '+44', rate_per_minute_minor: 500, billing_increment: '30/6' }] });
      expect(created.status).toBe(201);
      expect(created.body.versions[0].rates[0]).toMatchObject({ billing_increment: '30/6', rate_per_minute: { formatted: 'PKR 5.00' } });
      expect((await plan({ id: 'uk-only', name: 'Other', currency: 'PKR', rates: [{ prefix: '+44', rate_per_minute_minor: 1 }] })).status).toBe(409);
      expect((await request(app()).get('/api/v1/rate-plans/uk-only').set(op())).body.name).toBe('UK');
      expect((await request(app()).get('/api/v1/rate-plans/nope').set(op())).status).toBe(404);
      const past = await request(app()).post('/api/v1/rate-plans/uk-only/versions').set(op()).send({ rates: [{ prefix: '+44', rate_per_minute_minor: 1 }], effective_from: '2020-01-01T00:00:00Z' });
      expect(past.status).toBe(422);
      expect(past.body.error.code).toBe('RATE_CHANGE_IN_THE_PAST');

      // A plan without a rate for the destination: a clear 422, and no money held.
      const who = await tenant('no-pk', { billing_increment: '60/60', rate_per_minute_minor: 1 }, 1_000);
      const assign = await request(app()).put(`/api/v1/accounts/${who.accountId}/rate-plan`).set(op()).send({ plan_id: 'uk-only', effective_from: new Date(Date.now() + 1000).toISOString() });
      expect(assign.status).toBe(200);
      await poll('the UK plan in force', async () => Date.now() > Date.parse(assign.body.effective_from) + 50);
      const refused = await request(app()).post('/api/v1/calls').set(who.auth).send({ phone_number: '+923001234567' });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('NO_RATE_FOR_DESTINATION');
      const balance = await request(app()).get('/api/v1/balance').set(who.auth);
      expect(balance.body).toMatchObject({ open_reservations: 0, rate_plan: { id: 'uk-only' } });
      expect((await request(app()).get('/api/v1/credits/usage?from=2026-13-01').set(who.auth)).status).toBe(422);
      expect((await request(app()).get('/api/v1/credits/usage?from=2026-02-01&to=2026-01-01').set(who.auth)).status).toBe(422);
    });
  });
}
