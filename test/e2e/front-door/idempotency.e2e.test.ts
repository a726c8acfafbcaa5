import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { readSettledLog } from '../../support/settled-log.ts';
import { testDatabases } from '../../support/databases.ts';
import { bearer, createTenant, startFrontDoorEngine, type FrontDoorEngine } from './support.ts';

const PASSWORD = 'correct horse battery staple';

/** CallRequested events in the log for one destination: the truth, whatever the responses said. */
async function callsRequestedTo(running: FrontDoorEngine, e164: string): Promise<RecordedEvent[]> {
  return (await readSettledLog(running.engine.store)).filter((event) => event.type === 'CallRequested' && (event.data as { to?: string }).to === e164);
}

for (const backend of testDatabases()) {
  describe(`Idempotency-Key on ${backend.name}`, () => {
    let running: FrontDoorEngine;
    let keyA: string;
    let keyB: string;
    const app = () => running.engine.app;

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open());
      keyA = (await createTenant(running, 'A', { email: 'a@a.example', password: PASSWORD })).ownerKey;
      keyB = (await createTenant(running, 'B', { email: 'b@b.example', password: PASSWORD })).ownerKey;
    });
    afterAll(async () => {
      await running?.close();
    });

    it('creates exactly one call for concurrent identical POST /calls with one key', async () => {
      const body = { phone_number: '+923001239901' };
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => request(app()).post('/api/v1/calls').set(bearer(keyA)).set('Idempotency-Key', 'retry-storm-1').send(body)),
      );
      for (const res of responses) expect(res.status, JSON.stringify(res.body)).toBe(201);
      const ids = new Set(responses.map((res) => res.body.id));
      expect(ids.size).toBe(1);
      expect(responses.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
      expect(responses.every((res) => res.headers.location === `/api/v1/calls/${[...ids][0]}`)).toBe(true);
      const requested = await callsRequestedTo(running, '+923001239901');
      expect(requested).toHaveLength(1);
      expect((requested[0]!.data as { callId: string }).callId).toBe([...ids][0]);
    });

    it('replays the first response with the same status and body, marked as a replay', async () => {
      const send = () => request(app()).post('/api/v1/calls').set(bearer(keyA)).set('Idempotency-Key', 'replay-1').send({ phone_number: '+923001239902' });
      const first = await send();
      const second = await send();
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await callsRequestedTo(running, '+923001239902')).toHaveLength(1);
    });

    it('refuses the same key with a different body, or on a different path, with 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const first = await request(app()).post('/api/v1/calls').set(bearer(keyA)).set('Idempotency-Key', 'reuse-1').send({ phone_number: '+923001239903' });
      expect(first.status).toBe(201);
      const otherBody = await request(app()).post('/api/v1/calls').set(bearer(keyA)).set('Idempotency-Key', 'reuse-1').send({ phone_number: '+923001239904' });
      expect(otherBody.status).toBe(422);
      expect(otherBody.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const otherPath = await request(app()).post('/api/v1/api-keys').set(bearer(keyA)).set('Idempotency-Key', 'reuse-1').send({ name: 'x' });
      expect(otherPath.status).toBe(422);
      expect(await callsRequestedTo(running, '+923001239904')).toHaveLength(0);
    });

    it('treats the same body with keys in another order as the same request', async () => {
      const a = await request(app()).post('/api/v1/calls').set(bearer(keyA)).set('Idempotency-Key', 'order-1').send({ phone_number: '+923001239905', record: false });
      const b = await request(app())
        .post('/api/v1/calls')
        .set(bearer(keyA))
        .set('Idempotency-Key', 'order-1')
        .set('Content-Type', 'application/json')
        .send('{"record":false,"phone_number":"+923001239905"}');
      expect(b.status).toBe(201);
      expect(b.body.id).toBe(a.body.id);
    });

    it('keeps keys per tenant: B reusing A\'s key string runs its own request', async () => {
      const a = await request(app()).post('/api/v1/calls').set(bearer(keyA)).set('Idempotency-Key', 'shared-name').send({ phone_number: '+923001239906' });
      const b = await request(app()).post('/api/v1/calls').set(bearer(keyB)).set('Idempotency-Key', 'shared-name').send({ phone_number: '+923001239906' });
      expect(b.status).toBe(201);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(b.body.id).not.toBe(a.body.id);
    });

    it('stores client errors too, so a bad request stays bad on retry', async () => {
      const send = () => request(app()).post('/api/v1/calls').set(bearer(keyA)).set('Idempotency-Key', 'bad-1').send({ phone_number: 'not a number' });
      const first = await send();
      const second = await send();
      expect(first.status).toBe(422);
      expect(second.status).toBe(422);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
    });

    it('refuses a malformed Idempotency-Key with 400 and runs nothing', async () => {
      for (const bad of ['x'.repeat(256), 'has space', 'ünïcode']) {
        const res = await request(app()).post('/api/v1/calls').set(bearer(keyA)).set('Idempotency-Key', bad).send({ phone_number: '+923001239907' });
        expect(res.status, bad).toBe(400);
        expect(res.body.error.code).toBe('INVALID_IDEMPOTENCY_KEY');
      }
      expect(await callsRequestedTo(running, '+923001239907')).toHaveLength(0);
    });

    it('without a key, each POST is its own request', async () => {
      await request(app()).post('/api/v1/calls').set(bearer(keyA)).send({ phone_number: '+923001239908' });
      await request(app()).post('/api/v1/calls').set(bearer(keyA)).send({ phone_number: '+923001239908' });
      expect(await callsRequestedTo(running, '+923001239908')).toHaveLength(2);
    });
  });
}
