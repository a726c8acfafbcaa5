import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/database.ts';
import { SqlIdempotencyStore } from '../../../src/adapters/idempotency/sql-idempotency-store.ts';
import { ManualClock } from '../../../src/domain/shared/clock.ts';
import { createApp } from '../../../src/http/app.ts';
import { testDatabases } from '../../support/databases.ts';
import { fakeDependencies, TOKEN_A, type Fakes } from '../support/fake-dependencies.ts';

for (const backend of testDatabases()) {
  describe(`idempotency records on ${backend.name}`, () => {
    let database: Database;
    let clock: ManualClock;
    let store: SqlIdempotencyStore;
    let fakes: Fakes;

    beforeAll(async () => {
      database = await backend.open();
      clock = new ManualClock('2026-11-23T10:00:00.000Z');
      store = new SqlIdempotencyStore(database.db, { clock, leaseMs: 60_000 });
      await store.migrate();
    });
    beforeEach(() => {
      fakes = fakeDependencies();
      fakes.deps.frontDoor = { idempotency: store, idempotencyWaitMs: 300 };
    });
    afterAll(async () => {
      await database?.close();
    });

    const post = (key: string) =>
      request(createApp(fakes.deps)).post('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`).set('Idempotency-Key', key).send({ phone_number: '+4915112345678' });

    it('does not keep a 5xx: the retry runs afresh and is then replayed', async () => {
      fakes.calls.failNextWith = new Error('store down');
      const failed = await post('k-500');
      expect(failed.status).toBe(500);
      const retried = await post('k-500');
      expect(retried.status).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      expect(fakes.calls.placed).toHaveLength(1);
      const replayed = await post('k-500');
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(fakes.calls.placed).toHaveLength(1);
    });

    it('keeps a record for 24 hours, then forgets it and purges it', async () => {
      expect((await post('k-24h')).status).toBe(201);
      clock.advance(23 * 3_600_000);
      expect((await post('k-24h')).headers['idempotent-replayed']).toBe('true');
      clock.advance(1 * 3_600_000 + 1);
      expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
      const fresh = await post('k-24h');
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(fakes.calls.placed).toHaveLength(2);
    });

    it('treats an expired record that was never purged as no record: one of many racing begins claims it afresh', async () => {
      expect(await store.begin('tenant:x', 'expired', 'fp-old')).toEqual({ kind: 'started' });
      await store.complete('tenant:x', 'expired', { status: 201, headers: {}, body: '{"old":true}' });
      expect((await store.begin('tenant:x', 'expired', 'fp-new')).kind).toBe('mismatch');
      clock.advance(24 * 3_600_000 + 1);
      const results = await Promise.all(Array.from({ length: 8 }, () => store.begin('tenant:x', 'expired', 'fp-new')));
      expect(results.filter((r) => r.kind === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(7);
      // The old response is gone with its record: the new owner's answer is the one replayed.
      await store.complete('tenant:x', 'expired', { status: 201, headers: {}, body: '{"new":true}' });
      expect(await store.begin('tenant:x', 'expired', 'fp-new')).toMatchObject({ kind: 'replay', response: { body: '{"new":true}' } });
    });

    it('lets exactly one of two racing begins own a key, and the other sees it in progress', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.begin('tenant:x', 'race', 'fp')));
      expect(results.filter((r) => r.kind === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(7);
    });

    it('answers 409 IDEMPOTENCY_KEY_IN_USE while the first request still runs past the wait', async () => {
      // A running record with the request's own fingerprint, so the request waits instead of mismatching.
      const app = createApp(fakes.deps);
      const body = { phone_number: '+4915112345678' };
      const { requestFingerprint } = await import('../../../src/http/idempotency/middleware.ts');
      const fingerprint = requestFingerprint({ method: 'POST', baseUrl: '/api/v1/calls', path: '/', body } as never);
      await store.begin('tenant:tenant-a', 'slow-2', fingerprint);
      const started = Date.now();
      const res = await request(app).post('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`).set('Idempotency-Key', 'slow-2').send(body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(fakes.calls.placed).toHaveLength(0);
    });

    it('lets a retry take over a key whose owner died (its lease ran out)', async () => {
      expect((await store.begin('tenant:x', 'orphan', 'fp')).kind).toBe('started');
      expect((await store.begin('tenant:x', 'orphan', 'fp')).kind).toBe('in_progress');
      clock.advance(60_001);
      expect((await store.begin('tenant:x', 'orphan', 'fp')).kind).toBe('started');
      expect((await store.begin('tenant:x', 'orphan', 'fp')).kind).toBe('in_progress');
    });
  });
}
