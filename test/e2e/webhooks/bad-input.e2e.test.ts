import type { LookupFunction } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../support/databases.ts';
import { poll } from '../../support/poll.ts';
import { startTestEngine, type RunningEngine } from '../support/engine.ts';
import { bearer, createEndpoint, deliveriesOf, listNumber, Receiver, WEBHOOK_TEST_ENV } from './support.ts';

/**
 * Every refusal of the webhook API, on an engine that keeps the SSRF guard on (no
 * WEBHOOK_ALLOW_PRIVATE). Host names resolve through a table here: `public.test` is a public
 * address when an endpoint is created, `home.test` is 127.0.0.1, and at delivery time
 * `public.test` has been re-pointed at 127.0.0.1 (DNS rebinding).
 */

const NAMES: Record<string, string[]> = { 'public.test': ['93.184.215.14'], 'home.test': ['127.0.0.1'], 'mixed.test': ['93.184.215.14', '192.168.1.20'] };

/** Delivery-time resolution: everything now points at this machine. */
const reboundLookup = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

const { WEBHOOK_ALLOW_PRIVATE: _lenient, ...STRICT_ENV } = WEBHOOK_TEST_ENV;

for (const backend of testDatabases()) {
  describe(`webhook bad input and SSRF on ${backend.name}`, () => {
    let running: RunningEngine;
    let receiver: Receiver;
    let otherKey: string;
    const app = () => running.engine.app;
    const auth = () => bearer(running.apiKey);
    const create = (body: unknown, key = running.apiKey) => request(app()).post('/api/v1/webhooks').set(bearer(key)).send(body as object);

    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), {
        env: { ...STRICT_ENV },
        webhookNetwork: {
          resolver: async (host) => {
            const found = NAMES[host];
            if (!found) throw new Error(`ENOTFOUND ${host}`);
            return found;
          },
          lookup: reboundLookup,
        },
      });
      receiver = await Receiver.start();
      const system = { actor: 'system:test', correlationId: 'c', causationId: 'c' };
      const other = await running.engine.accounts.open(system, { name: 'Other tenant', defaultCountry: 'GB', currency: 'GBP', timeZone: 'Europe/London' });
      const key = await running.engine.accounts.issueKey(system, other.accountId, { name: 'other', mode: 'live', scopes: [] });
      await running.engine.waitForProjections(key.position);
      otherKey = key.secret;
    });
    afterAll(async () => {
      await running?.close();
      await receiver?.down();
    });

    it.each([
      ['a malformed URL', 'not a url', 'WEBHOOK_URL_INVALID'],
      ['a relative URL', '/hooks', 'WEBHOOK_URL_INVALID'],
      ['a non-http scheme', 'ftp://public.test/hook', 'WEBHOOK_URL_INVALID'],
      ['a file URL', 'file:///etc/passwd', 'WEBHOOK_URL_INVALID'],
      ['credentials in the URL', 'https://user:pass@public.test/hook', 'WEBHOOK_URL_INVALID'],
      ['a host that does not resolve', 'https://nowhere.test/hook', 'WEBHOOK_URL_INVALID'],
      ['loopback', 'http://127.0.0.1:8080/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['IPv6 loopback', 'http://[::1]:8080/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['a private address', 'http://10.1.2.3/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['a private 192.168 address', 'http://192.168.0.1/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['a link-local address', 'http://169.254.7.7/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data', 'WEBHOOK_URL_FORBIDDEN'],
      ['the unspecified address', 'http://0.0.0.0:3000/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['a hostname that resolves to 127.0.0.1', 'https://home.test/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['a hostname with one private address', 'https://mixed.test/hook', 'WEBHOOK_URL_FORBIDDEN'],
    ])('refuses %s with 422 %s', async (_what, url, code) => {
      const refused = await create({ url, events: ['*'] });
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error).toMatchObject({ code, message: expect.any(String), details: expect.any(Object) });
    });

    it('refuses an unknown event type with 422 naming it, and other malformed bodies with 422', async () => {
      const unknown = await create({ url: 'https://public.test/hook', events: ['call.completed', 'call.exploded'] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error).toMatchObject({ code: 'WEBHOOK_EVENT_TYPE_UNKNOWN', details: { unknown: ['call.exploded'] } });
      for (const body of [{ url: 'https://public.test/hook', events: [] }, { url: 'https://public.test/hook' }, { events: ['*'] }, { url: 'https://public.test/hook', events: ['*'], secret: 'mine' }]) {
        const refused = await create(body);
        expect(refused.status, JSON.stringify(body)).toBe(422);
        expect(refused.body.error.code).toBe('VALIDATION_ERROR');
      }
      expect((await request(app()).get('/api/v1/webhooks').set(auth())).body.data).toEqual([]);
    });

    it('refuses a forbidden or malformed status_callback_url on POST /calls, and places no call', async () => {
      const before = (await request(app()).get('/api/v1/calls').set(auth())).body.pagination.total;
      for (const [url, code] of [
        ['http://10.0.0.8/cb', 'WEBHOOK_URL_FORBIDDEN'],
        ['https://home.test/cb', 'WEBHOOK_URL_FORBIDDEN'],
        ['ftp://public.test/cb', 'WEBHOOK_URL_INVALID'],
        ['not a url', 'WEBHOOK_URL_INVALID'],
      ] as const) {
        const refused = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: '03001234567', status_callback_url: url });
        expect(refused.status, url).toBe(422);
        expect(refused.body.error.code).toBe(code);
      }
      expect((await request(app()).get('/api/v1/calls').set(auth())).body.pagination.total).toBe(before);
    });

    it('refuses a forbidden URL in a PATCH too, and keeps the old one', async () => {
      const endpoint = await createEndpoint(running, { url: 'https://public.test/hook', events: ['*'] });
      const patched = await request(app()).patch(`/api/v1/webhooks/${endpoint.id}`).set(auth()).send({ url: 'http://169.254.169.254/' });
      expect(patched.status).toBe(422);
      expect(patched.body.error.code).toBe('WEBHOOK_URL_FORBIDDEN');
      const badType = await request(app()).patch(`/api/v1/webhooks/${endpoint.id}`).set(auth()).send({ events: ['nope'] });
      expect(badType.body.error.code).toBe('WEBHOOK_EVENT_TYPE_UNKNOWN');
      const empty = await request(app()).patch(`/api/v1/webhooks/${endpoint.id}`).set(auth()).send({});
      expect(empty.status).toBe(422);
      expect((await request(app()).get(`/api/v1/webhooks/${endpoint.id}`).set(auth())).body.url).toBe('https://public.test/hook');
      await request(app()).delete(`/api/v1/webhooks/${endpoint.id}`).set(auth()).expect(204);
    });

    it('checks the address again at delivery: a name re-pointed at 127.0.0.1 is refused, nothing is sent', async () => {
      const url = receiver.url.replace('127.0.0.1', 'public.test');
      const endpoint = await createEndpoint(running, { url, events: ['dnc.added'] });
      await listNumber(running, '+923005556001');
      const [row] = await poll('a refused attempt', async () => {
        const rows = await deliveriesOf(running, endpoint.id);
        return rows[0]?.attempts.length >= 1 ? rows : null;
      });
      expect(row.status).toBe('pending');
      expect(row.attempts[0]).toMatchObject({ status_code: null, error: expect.stringMatching(/^refused: .*127\.0\.0\.1/) });
      expect(receiver.received).toHaveLength(0);
      await request(app()).delete(`/api/v1/webhooks/${endpoint.id}`).set(auth()).expect(204);
    });

    it("answers 404 for another tenant's endpoint on every route, and for unknown deliveries and ids", async () => {
      const endpoint = await createEndpoint(running, { url: 'https://public.test/hook', events: ['*'] });
      const theirs = bearer(otherKey);
      const base = `/api/v1/webhooks/${endpoint.id}`;
      const attempts = [
        request(app()).get(base).set(theirs),
        request(app()).patch(base).set(theirs).send({ description: 'mine now' }),
        request(app()).delete(base).set(theirs),
        request(app()).post(`${base}/rotate-secret`).set(theirs),
        request(app()).get(`${base}/deliveries`).set(theirs),
        request(app()).post(`${base}/deliveries/dlv_0/redeliver`).set(theirs),
        request(app()).post(`${base}/replay`).set(theirs).send({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }),
      ];
      for (const answer of await Promise.all(attempts)) {
        expect(answer.status, JSON.stringify(answer.body)).toBe(404);
        expect(answer.body.error.code).toBe('WEBHOOK_NOT_FOUND');
      }
      expect((await request(app()).get('/api/v1/webhooks').set(theirs)).body.data).toEqual([]);
      expect((await request(app()).get(base).set(auth())).body.description).toBeNull();

      const unknownDelivery = await request(app()).post(`${base}/deliveries/dlv_doesnotexist/redeliver`).set(auth());
      expect(unknownDelivery.status).toBe(404);
      expect(unknownDelivery.body.error.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
      const malformed = await request(app()).get('/api/v1/webhooks/not-an-id').set(auth());
      expect(malformed.status).toBe(404);
      const unknownEndpoint = await request(app()).get(`/api/v1/webhooks/${crypto.randomUUID()}`).set(auth());
      expect(unknownEndpoint.body.error.code).toBe('WEBHOOK_NOT_FOUND');
    });

    it('refuses a malformed replay range and a bad delivery filter', async () => {
      const endpoint = await createEndpoint(running, { url: 'https://public.test/hook', events: ['*'] });
      const base = `/api/v1/webhooks/${endpoint.id}`;
      const backwards = await request(app()).post(`${base}/replay`).set(auth()).send({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
      expect(backwards.status).toBe(422);
      const notTime = await request(app()).post(`${base}/replay`).set(auth()).send({ from: 'yesterday', to: '2026-01-01T00:00:00Z' });
      expect(notTime.status).toBe(422);
      const badStatus = await request(app()).get(`${base}/deliveries?status=lost`).set(auth());
      expect(badStatus.status).toBe(422);
      const deleted = await request(app()).delete(base).set(auth());
      expect(deleted.status).toBe(204);
      expect((await request(app()).get(base).set(auth())).status).toBe(404);
      expect((await request(app()).delete(base).set(auth())).status).toBe(404);
    });
  });
}
