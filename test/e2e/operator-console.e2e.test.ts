import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { waitForCall } from './support/engine.ts';
import { bearer, createTenant, login, startFrontDoorEngine, type FrontDoorEngine } from './front-door/support.ts';

/**
 * The console's operator routes on the whole engine: health with every consumer's lag, verify
 * (bounded), the account audit — and a tenant's API key or login refused on each, as on every
 * other operator route.
 */

const TERMINAL = new Set(['COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST']);

for (const backend of testDatabases()) {
  describe(`operator console routes on ${backend.name}`, () => {
    let running: FrontDoorEngine;
    let tenant: { accountId: string; ownerKey: string };
    let tenantJwt: string;
    let callId: string;
    const app = () => running.engine.app;
    const asOperator = () => bearer(running.operatorKey);

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open());
      tenant = await createTenant(running, 'Tenant T', { email: 'owner-t@example.test', password: 'correct horse battery T' });
      const session = await login(running, 'owner-t@example.test', 'correct horse battery T');
      expect(session.status).toBe(200);
      tenantJwt = session.body.access_token;
      const placed = await request(app()).post('/api/v1/calls').set(bearer(tenant.ownerKey)).send({ phone_number: '03001230105' });
      expect(placed.status).toBe(201);
      callId = placed.body.id;
      await waitForCall(running.engine, tenant.ownerKey, callId, (body) => TERMINAL.has(body.status));
    }, 60_000);
    afterAll(async () => running?.close());

    it('refuses tenant credentials and anonymous callers on every operator console route', async () => {
      const routes = {
        health: () => request(app()).get('/api/v1/operator/health'),
        verify: () => request(app()).post('/api/v1/operator/verify').send({}),
        audit: () => request(app()).get(`/api/v1/operator/accounts/${tenant.accountId}/audit?from=2020-01-01&to=2100-01-01`),
      };
      for (const [name, route] of Object.entries(routes)) {
        for (const credential of [tenant.ownerKey, tenantJwt, running.apiKey, null]) {
          const res = credential === null ? await route() : await route().set(bearer(credential));
          expect(res.status, `${name} with ${credential === null ? 'nothing' : 'a tenant credential'}`).toBe(401);
          expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'An operator API key is required for this endpoint', details: {} } });
          expect(res.headers['www-authenticate']).toBe('Bearer realm="calltrail-operator"');
        }
      }
    });

    it('health names each component and every consumer’s lag behind the head', async () => {
      const caughtUp = await poll('every consumer at the head', async () => {
        const res = await request(app()).get('/api/v1/operator/health').set(asOperator());
        expect(res.status).toBe(200);
        return res.body.projections.every((p: { lag_events: number }) => p.lag_events === 0) ? res.body : null;
      });
      expect(caughtUp).toMatchObject({ status: 'ok', database: { ok: true }, event_store: { ok: true, head: expect.any(String) } });
      expect(caughtUp.telephony.length).toBeGreaterThan(0);
      expect(caughtUp.telephony[0]).toMatchObject({ name: expect.any(String), ok: true });
      const names = caughtUp.projections.map((p: { name: string }) => p.name);
      expect(names.some((name: string) => name.startsWith('calls'))).toBe(true);
      expect(caughtUp.projections.find((p: { kind: string }) => p.kind === 'reactor')).toBeDefined();
      const calls = caughtUp.projections.find((p: { name: string }) => p.name.startsWith('calls'));
      expect(calls.position).toEqual(expect.any(String));

      // A projection held still falls behind by what is appended meanwhile.
      const runner = running.engine.runner('calls')!;
      await runner.stop();
      let secondCall: string | undefined;
      try {
        const placed = await request(app()).post('/api/v1/calls').set(bearer(tenant.ownerKey)).send({ phone_number: '03001230106' });
        expect(placed.status).toBe(201);
        secondCall = placed.body.id;
        const res = await request(app()).get('/api/v1/operator/health').set(asOperator());
        const held = res.body.projections.find((p: { name: string }) => p.name === runner.checkpointName);
        expect(held.lag_events).toBeGreaterThan(0);
        expect(held.lag_capped).toBe(false);
      } finally {
        await runner.start();
      }
      // The later tests read the log whole: this call is finished and charged first.
      if (secondCall) {
        await waitForCall(running.engine, tenant.ownerKey, secondCall, (body) => TERMINAL.has(body.status));
        await poll('the second charge', async () => (await request(app()).get(`/api/v1/calls/${secondCall}/audit`).set(bearer(tenant.ownerKey))).body.verdict !== 'PENDING');
      }
    });

    it('verify checks the chains, bounded by max_events, and one stream on its own', async () => {
      const all = await request(app()).post('/api/v1/operator/verify').set(asOperator()).send({});
      expect(all.status, JSON.stringify(all.body)).toBe(200);
      expect(all.body).toMatchObject({ verdict: 'ok', first_break: null, max_events: 1_000_000 });
      expect(all.body.events_checked).toBeGreaterThan(10);
      // No body at all is the same as {}.
      expect((await request(app()).post('/api/v1/operator/verify').set(asOperator())).body.verdict).toBe('ok');

      const bounded = await request(app()).post('/api/v1/operator/verify').set(asOperator()).send({ max_events: 1 });
      expect(bounded.body).toMatchObject({ verdict: 'incomplete', max_events: 1, first_break: null });
      expect(bounded.body.events_checked).toBeGreaterThanOrEqual(1);

      const one = await request(app()).post('/api/v1/operator/verify').set(asOperator()).send({ stream: `call-${callId}` });
      expect(one.body).toMatchObject({ verdict: 'ok', streams_checked: 1 });
      expect(one.body.events_checked).toBeGreaterThan(3);

      for (const body of [{ max_events: 0 }, { max_events: 'all' }, { stream: '' }, { everything: true }]) {
        const bad = await request(app()).post('/api/v1/operator/verify').set(asOperator()).send(body);
        expect(bad.status, JSON.stringify(body)).toBe(422);
        expect(bad.body.error.code).toBe('VALIDATION_ERROR');
      }
    });

    it('audits an account as `calltrail audit account` does; an unknown one is 404', async () => {
      const res = await request(app()).get(`/api/v1/operator/accounts/${tenant.accountId}/audit`).query({ from: '2020-01-01', to: '2100-01-01' }).set(asOperator());
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.audits.map((audit: { callId: string }) => audit.callId)).toContain(callId);
      const cli = JSON.parse(JSON.stringify(await running.engine.audit.service.account(tenant.accountId, '2020-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z'), (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
      expect(res.body).toEqual(cli);

      const unknown = await request(app()).get('/api/v1/operator/accounts/no-such-account/audit?from=2020-01-01&to=2100-01-01').set(asOperator());
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('ACCOUNT_NOT_FOUND');
      for (const query of ['from=2020-01-01', 'from=2100-01-01&to=2020-01-01', 'from=yesterday&to=2100-01-01']) {
        const bad = await request(app()).get(`/api/v1/operator/accounts/${tenant.accountId}/audit?${query}`).set(asOperator());
        expect(bad.status, query).toBe(422);
      }
    });
  });
}
