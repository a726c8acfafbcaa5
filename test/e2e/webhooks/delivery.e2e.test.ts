import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../src/webhooks/verify.ts';
import { testDatabases } from '../../support/databases.ts';
import { poll } from '../../support/poll.ts';
import { uploadReadyAudio } from '../campaigns/support.ts';
import { startTestEngine, waitForCall, type RunningEngine } from '../support/engine.ts';
import { bearer, createEndpoint, deliveriesOf, listNumber, Receiver, waitForReceived, WEBHOOK_TEST_ENV } from './support.ts';

/**
 * Webhooks end to end: the engine, the ARI simulator and a real receiver on 127.0.0.1. What the
 * receiver gets is checked as an integrator would: the signature with verifyWebhook, the ids,
 * the per-endpoint sequence.
 */

for (const backend of testDatabases()) {
  describe(`webhooks end to end on ${backend.name}`, () => {
    let running: RunningEngine;
    const app = () => running.engine.app;
    const auth = () => bearer(running.apiKey);
    const receivers: Receiver[] = [];
    const receiver = async () => {
      const made = await Receiver.start();
      receivers.push(made);
      return made;
    };

    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), { env: { ...WEBHOOK_TEST_ENV, CAMPAIGN_POLL_MS: '50' } });
    });
    afterAll(async () => {
      await running?.close();
      for (const made of receivers) await made.down();
    });

    it('a call gives call.started then call.completed, and a busy call call.failed, each signed', async () => {
      const hooks = await receiver();
      const endpoint = await createEndpoint(running, { url: hooks.url, events: ['call.started', 'call.completed', 'call.failed'] });
      expect(endpoint.body).toMatchObject({ url: hooks.url, enabled: true, status: { state: 'enabled' } });

      const answered = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: '03001234567' });
      expect(answered.status).toBe(201);
      const busy = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230486' });
      expect(busy.status).toBe(201);
      await waitForCall(running.engine, running.apiKey, answered.body.id, (call) => call.status === 'COMPLETED', 20_000);

      await waitForReceived(hooks, 'three call events', (received) => received.length >= 3);
      const forCall = (id: string) => hooks.received.filter((entry) => entry.json.data.call_id === id).map((entry) => entry.json.type);
      expect(forCall(answered.body.id)).toEqual(['call.started', 'call.completed']);
      expect(forCall(busy.body.id)).toEqual(['call.failed']);
      const failed = hooks.ofType('call.failed')[0]!;
      expect(failed.json.data).toMatchObject({ outcome: 'BUSY', cause: 17 });
      const completed = hooks.ofType('call.completed')[0]!;
      expect(completed.json).toMatchObject({ account_id: running.accountId, data: { call_id: answered.body.id, cause: 16 } });
      expect(completed.json.data.billable_ms).toBeGreaterThan(0);

      for (const entry of hooks.received) {
        expect(Object.keys(entry.json).sort()).toEqual(['account_id', 'created_at', 'data', 'id', 'sequence', 'type']);
        expect(entry.headers['calltrail-event-id']).toBe(entry.json.id);
        expect(verifyWebhook(entry.body, entry.headers['calltrail-signature'] as string, endpoint.secret)).toEqual({ ok: true, timestamp: expect.any(Number) });
        expect(verifyWebhook(entry.body, entry.headers['calltrail-signature'] as string, 'whsec_wrong').ok).toBe(false);
      }
      // One endpoint's sequence counts 1, 2, 3 in the order it was sent.
      expect(hooks.received.map((entry) => entry.json.sequence)).toEqual([1, 2, 3]);
      expect(new Set(hooks.received.map((entry) => entry.json.id)).size).toBe(3);

      const log = await deliveriesOf(running, endpoint.id, '&status=delivered');
      expect(log).toHaveLength(3);
      expect(log[0].attempts[0]).toMatchObject({ attempt: 1, status_code: 200, error: null, next_retry_at: null });
    });

    it("a call's status_callback_url receives that call's status events, signed with the secret shown once", async () => {
      const hooks = await receiver();
      const placed = await request(app()).post('/api/v1/calls').set(auth()).send({ to_number: '03001234568', status_callback_url: hooks.url });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const secret: string = placed.body.status_callback_secret;
      expect(secret).toMatch(/^whsec_/);
      await waitForCall(running.engine, running.apiKey, placed.body.id, (call) => call.status === 'COMPLETED', 20_000);
      await waitForReceived(hooks, 'call.completed on the callback', () => hooks.ofType('call.completed').length > 0);
      expect(hooks.received.map((entry) => entry.json.type)).toEqual(['call.ringing', 'call.started', 'call.completed']);
      expect(hooks.received.every((entry) => entry.json.data.call_id === placed.body.id)).toBe(true);
      expect(hooks.received.map((entry) => entry.json.sequence)).toEqual([1, 2, 3]);
      for (const entry of hooks.received) expect(verifyWebhook(entry.body, entry.headers['calltrail-signature'] as string, secret).ok).toBe(true);
      // Shown once: the call read back does not carry it, and the log holds it only sealed.
      const read = await request(app()).get(`/api/v1/calls/${placed.body.id}`).set(auth());
      expect(JSON.stringify(read.body)).not.toContain(secret);
      expect(read.body.timeline[0].data.statusCallback).toEqual({ url: hooks.url });
      const stream = await running.engine.store.readStream(`call-${placed.body.id}`);
      expect(JSON.stringify(stream.map((event) => [event.data, event.metadata]))).not.toContain(secret);
      expect(stream[0]!.data).toMatchObject({ statusCallback: { url: hooks.url, sealedSecret: expect.stringMatching(/^v1\./) } });
    });

    it('a campaign gives campaign.started and campaign.completed', async () => {
      const hooks = await receiver();
      await createEndpoint(running, { url: hooks.url, events: ['campaign.started', 'campaign.completed'] });
      const audioId = await uploadReadyAudio(running);
      const created = await request(app())
        .post('/api/v1/campaigns')
        .set(auth())
        .field('name', 'Webhook campaign')
        .field('audio_id', audioId)
        .attach('csv_file', Buffer.from('phone_number\n03001119999\n'), 'numbers.csv')
        .field('max_retries', '0')
        .field('concurrent_limit', '1');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await waitForReceived(hooks, 'campaign.completed', () => hooks.ofType('campaign.completed').length > 0, 40_000);
      expect(hooks.received.map((entry) => entry.json.type)).toEqual(['campaign.started', 'campaign.completed']);
      expect(hooks.ofType('campaign.completed')[0]!.json.data.campaign_id).toBe(created.body.id);
    });

    it('crossing the low-balance threshold gives credits.low once', async () => {
      const hooks = await receiver();
      await createEndpoint(running, { url: hooks.url, events: ['credits.low'] });
      const balance = await request(app()).get('/api/v1/balance').set(auth());
      expect(balance.status).toBe(200);
      // One call costs 200 (a minute at the sandbox's +92 rate): the first call crosses, the second stays below.
      const operator = { actor: 'system:test', correlationId: crypto.randomUUID(), causationId: 'test' };
      const set = await running.engine.billing.service.setLowBalanceThreshold(operator, running.accountId, balance.body.balance.amount_minor - 100);
      await running.engine.waitForProjections(set.position);
      for (const phone of ['03001234001', '03001234002']) {
        const placed = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: phone });
        expect(placed.status).toBe(201);
        await waitForCall(running.engine, running.apiKey, placed.body.id, (call) => call.status === 'COMPLETED' && call.charge, 20_000);
      }
      await waitForReceived(hooks, 'credits.low', (received) => received.length >= 1);
      // Everything in the log so far is in the outbox, and nothing is left to send.
      const head = (await running.engine.store.readAll({ maxCount: 100_000 })).at(-1)!.position;
      await running.engine.webhooks.outbox.waitFor(head);
      const endpointId = (await request(app()).get('/api/v1/webhooks').set(auth())).body.data.find((e: any) => e.events[0] === 'credits.low').id;
      await poll('nothing pending', async () => (await deliveriesOf(running, endpointId, '&status=pending')).length === 0);
      expect(hooks.received.map((entry) => entry.json.type)).toEqual(['credits.low']);
      expect(hooks.received[0]!.json.data).toMatchObject({ account_id: running.accountId, threshold: { amount_minor: balance.body.balance.amount_minor - 100 } });
    });

    it('a receiver answering 500 three times, then 200: delivered once, four attempts logged', async () => {
      const hooks = await receiver();
      hooks.answer = (_entry, index) => (index < 3 ? 500 : 200);
      const endpoint = await createEndpoint(running, { url: hooks.url, events: ['dnc.added'] });
      await listNumber(running, '+923005550001');
      await waitForReceived(hooks, 'four attempts', (received) => received.length >= 4);
      const [delivery] = await poll('delivered', async () => {
        const rows = await deliveriesOf(running, endpoint.id, '&status=delivered');
        return rows.length === 1 ? rows : null;
      });
      expect(delivery.attempt_count).toBe(4);
      expect(delivery.attempts.map((a: any) => a.status_code)).toEqual([500, 500, 500, 200]);
      expect(delivery.attempts.slice(0, 3).every((a: any) => a.next_retry_at !== null && a.error === 'HTTP 500')).toBe(true);
      expect(delivery.attempts[3]).toMatchObject({ next_retry_at: null, error: null, response: 'ok' });
      expect(delivery.attempts.every((a: any) => typeof a.latency_ms === 'number')).toBe(true);
      // Every attempt carried the same event id; the receiver saw four copies of one event.
      expect(new Set(hooks.received.map((entry) => entry.json.id))).toEqual(new Set([delivery.event_id]));
      const endpointNow = await request(app()).get(`/api/v1/webhooks/${endpoint.id}`).set(auth());
      expect(endpointNow.body.status).toMatchObject({ state: 'enabled', consecutive_failures: 0 });
    });

    it('a slow endpoint does not hold up another one', async () => {
      const slow = await receiver();
      slow.delayMs = 2_000;
      const fast = await receiver();
      const slowEndpoint = await createEndpoint(running, { url: slow.url, events: ['dnc.added'] });
      await createEndpoint(running, { url: fast.url, events: ['dnc.added'] });
      await listNumber(running, '+923005557001');
      await listNumber(running, '+923005557002');
      // Both reach the fast receiver while the slow one is still holding its first request.
      await waitForReceived(fast, 'both at the fast receiver', (received) => received.length >= 2);
      expect(slow.received.length).toBeLessThanOrEqual(1);
      expect((await deliveriesOf(running, slowEndpoint.id, '&status=delivered')).length).toBe(0);
      await waitForReceived(slow, 'both at the slow receiver in the end', (received) => received.length >= 2);
    });

    it('a receiver that is down for a while gets the backlog after it comes back, in sequence order', async () => {
      const hooks = await receiver();
      const endpoint = await createEndpoint(running, { url: hooks.url, events: ['dnc.added'] });
      await hooks.down();
      for (let i = 0; i < 5; i++) await listNumber(running, `+92300555100${i}`);
      // The head of the queue is being retried against a closed port.
      await poll('failed attempts while down', async () => {
        const pending = await deliveriesOf(running, endpoint.id, '&status=pending');
        return pending.length === 5 && pending.some((row) => row.attempts.length >= 2 && row.attempts[0].error !== null);
      });
      expect(hooks.received).toHaveLength(0);
      await hooks.up();
      await waitForReceived(hooks, 'the backlog', (received) => received.length >= 5);
      expect(hooks.received.map((entry) => entry.json.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(hooks.received.map((entry) => entry.json.data.phone)).toEqual([0, 1, 2, 3, 4].map((i) => `+92300555100${i}`));
      await poll('all delivered', async () => (await deliveriesOf(running, endpoint.id, '&status=delivered')).length === 5);
    });

    it('replay of a time range sends exactly the events of that range again, in order, with their original ids', async () => {
      const hooks = await receiver();
      const endpoint = await createEndpoint(running, { url: hooks.url, events: ['dnc.added'] });
      for (let i = 0; i < 4; i++) await listNumber(running, `+92300555200${i}`);
      await waitForReceived(hooks, 'four events', (received) => received.length >= 4);
      const first = hooks.received.map((entry) => entry.json);
      const from = first[1].created_at;
      const to = first[2].created_at;
      const replay = await request(app()).post(`/api/v1/webhooks/${endpoint.id}/replay`).set(auth()).send({ from, to });
      expect(replay.status, JSON.stringify(replay.body)).toBe(202);
      expect(replay.body).toMatchObject({ count: 2, event_ids: [first[1].id, first[2].id] });
      await waitForReceived(hooks, 'the replay', (received) => received.length >= 6);
      const replayed = hooks.received.slice(4);
      expect(replayed.map((entry) => entry.json.id)).toEqual([first[1].id, first[2].id]);
      // The very body first sent: same id, same sequence, same data.
      expect(replayed.map((entry) => entry.body)).toEqual([hooks.received[1]!.body, hooks.received[2]!.body]);
      const origins = (await deliveriesOf(running, endpoint.id)).map((row) => row.origin);
      expect(origins.filter((origin) => origin === 'replay')).toHaveLength(2);
    });

    it('redeliver sends a delivery again with the same id; rotation signs with both secrets for the grace period', async () => {
      const hooks = await receiver();
      const endpoint = await createEndpoint(running, { url: hooks.url, events: ['dnc.added'] });
      await listNumber(running, '+923005553001');
      await waitForReceived(hooks, 'the event', (received) => received.length >= 1);
      const rotated = await request(app()).post(`/api/v1/webhooks/${endpoint.id}/rotate-secret`).set(auth());
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(endpoint.secret);
      expect(Date.parse(rotated.body.previous_secret_valid_until)).toBeGreaterThan(Date.now());
      const [delivery] = await deliveriesOf(running, endpoint.id);
      const again = await request(app()).post(`/api/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`).set(auth());
      expect(again.status, JSON.stringify(again.body)).toBe(202);
      expect(again.body).toMatchObject({ event_id: delivery.event_id, origin: 'redeliver', status: 'pending' });
      await waitForReceived(hooks, 'the redelivery', (received) => received.length >= 2);
      const second = hooks.received[1]!;
      expect(second.json.id).toBe(hooks.received[0]!.json.id);
      const header = second.headers['calltrail-signature'] as string;
      expect(header.match(/v1=/g)).toHaveLength(2);
      expect(verifyWebhook(second.body, header, rotated.body.secret).ok).toBe(true);
      expect(verifyWebhook(second.body, header, endpoint.secret).ok).toBe(true);
      // The secret is shown once: never in a read.
      const read = await request(app()).get(`/api/v1/webhooks/${endpoint.id}`).set(auth());
      expect(JSON.stringify(read.body)).not.toContain('whsec_');
    });

    it('a 410 disables the endpoint, and so do N failures in a row, with the reason in its status', async () => {
      const gone = await receiver();
      gone.answer = () => 410;
      const first = await createEndpoint(running, { url: gone.url, events: ['dnc.added'] });
      const failing = await receiver();
      failing.answer = () => 503;
      const second = await createEndpoint(running, { url: failing.url, events: ['dnc.added'] });
      await listNumber(running, '+923005554001');
      const statusOf = async (id: string) => (await request(app()).get(`/api/v1/webhooks/${id}`).set(auth())).body;
      const goneNow = await poll('disabled by 410', async () => ((await statusOf(first.id)).enabled ? null : statusOf(first.id)));
      expect(goneNow.status).toMatchObject({ state: 'disabled_by_delivery', reason: 'gone' });
      expect(gone.received).toHaveLength(1);
      const failedNow = await poll('disabled by failures', async () => ((await statusOf(second.id)).enabled ? null : statusOf(second.id)), 30_000);
      expect(failedNow.status).toMatchObject({ state: 'disabled_by_delivery', reason: 'consecutive_failures', consecutive_failures: 50 });
      expect(failing.received).toHaveLength(50);
      // The log has it too: the endpoint's stream ends with WebhookEndpointDisabled.
      const stream = await running.engine.store.readStream(`webhook-${second.id}`);
      expect(stream.at(-1)).toMatchObject({ type: 'WebhookEndpointDisabled', data: { reason: 'consecutive_failures' } });
      // Switched back on, it is enabled again with its failures forgiven.
      const reenabled = await request(app()).patch(`/api/v1/webhooks/${second.id}`).set(auth()).send({ enabled: true, url: failing.url });
      expect(reenabled.body.status).toMatchObject({ state: 'enabled', consecutive_failures: 0 });
      await request(app()).delete(`/api/v1/webhooks/${second.id}`).set(auth()).expect(204);
    }, 60_000);
  });
}
