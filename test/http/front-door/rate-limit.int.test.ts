import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type express from 'express';
import { openDatabase, type Database } from '../../../src/adapters/db/database.ts';
import { FlexibleRateLimits } from '../../../src/adapters/rate-limit/flexible-rate-limits.ts';
import { createApp } from '../../../src/http/app.ts';
import { testDatabases } from '../../support/databases.ts';
import { fakeDependencies, TOKEN_A, TOKEN_B } from '../support/fake-dependencies.ts';

/**
 * Two API processes, as two apps with their own limiter instances, share one counter store:
 * requests to either count against one limit. Run on PGlite (one database object, two limiters),
 * on Postgres (two separate pools) and on Redis (two clients) when those are configured.
 */

type SharedStore = { name: string; open(): Promise<{ first: FlexibleRateLimits; second: FlexibleRateLimits; close(): Promise<void> }> };

function stores(): SharedStore[] {
  const out: SharedStore[] = [];
  for (const backend of testDatabases()) {
    out.push({
      name: backend.name,
      async open() {
        const database = await backend.open();
        let other: Database | null = null;
        if (backend.name === 'postgres') {
          // A second pool on the same schema: another process's connections.
          const schema = (await database.db.selectNoFrom((eb) => eb.fn<string>('current_schema').as('s')).executeTakeFirstOrThrow()).s;
          other = await openDatabase({ url: process.env.TEST_DATABASE_URL!, searchPath: schema, maxConnections: 2 });
        }
        return {
          first: FlexibleRateLimits.postgres(database),
          second: FlexibleRateLimits.postgres(other ?? database),
          async close() {
            await other?.close();
            await database.close();
          },
        };
      },
    });
  }
  const redisUrl = process.env.TEST_REDIS_URL;
  if (redisUrl) {
    out.push({
      name: 'redis',
      async open() {
        const keyPrefix = `calltrail-test-${randomUUID()}`;
        const first = FlexibleRateLimits.redis(redisUrl, { keyPrefix });
        const second = FlexibleRateLimits.redis(redisUrl, { keyPrefix });
        return {
          first,
          second,
          async close() {
            await first.close();
            await second.close();
          },
        };
      },
    });
  } else {
    console.log('redis rate-limit store skipped: TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379)');
  }
  return out;
}

for (const store of stores()) {
  describe(`rate limits shared by two app instances on ${store.name}`, () => {
    let opened: Awaited<ReturnType<SharedStore['open']>>;
    let apps: [express.Express, express.Express];
    let fakes: ReturnType<typeof fakeDependencies>[];

    beforeAll(async () => {
      opened = await store.open();
      fakes = [fakeDependencies(), fakeDependencies()];
      apps = [opened.first, opened.second].map((port, i) => {
        fakes[i]!.deps.frontDoor = { rateLimits: { port, generalPerMinute: 4, callsPerMinute: 2 } };
        return createApp(fakes[i]!.deps);
      }) as [express.Express, express.Express];
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('counts requests to both instances against one limit, with headers on every answer, then 429 with Retry-After', async () => {
      const seen: request.Response[] = [];
      for (let i = 0; i < 5; i++) seen.push(await request(apps[i % 2]!).get('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`));
      expect(seen.slice(0, 4).map((res) => res.status)).toEqual([200, 200, 200, 200]);
      expect(seen.map((res) => res.headers['x-ratelimit-limit'])).toEqual(['4', '4', '4', '4', '4']);
      expect(seen.map((res) => res.headers['x-ratelimit-remaining'])).toEqual(['3', '2', '1', '0', '0']);
      const now = Math.floor(Date.now() / 1000);
      for (const res of seen) {
        const reset = Number(res.headers['x-ratelimit-reset']);
        expect(reset).toBeGreaterThan(now - 1);
        expect(reset).toBeLessThanOrEqual(now + 61);
      }
      const refused = seen[4]!;
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The other instance refuses too: the counter is shared, not per process.
      expect((await request(apps[0]).get('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`)).status).toBe(429);
    });

    it('keeps each key its own counter', async () => {
      const other = await request(apps[1]).get('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_B}`);
      expect(other.status).toBe(200);
      expect(other.headers['x-ratelimit-remaining']).toBe('3');
    });

    it('limits call creation more tightly, across both instances', async () => {
      fakes[0]!.keys.issue('ct_live_caller_0123456789abcdef', { tenantId: 'tenant-c', keyId: 'key_c' });
      fakes[1]!.keys.issue('ct_live_caller_0123456789abcdef', { tenantId: 'tenant-c', keyId: 'key_c' });
      const post = (i: number) =>
        request(apps[i % 2]!).post('/api/v1/calls').set('Authorization', 'Bearer ct_live_caller_0123456789abcdef').send({ phone_number: '+4915112345678' });
      const results = [await post(0), await post(1), await post(2)];
      expect(results.map((res) => res.status)).toEqual([201, 201, 429]);
      expect(results.map((res) => res.headers['x-ratelimit-limit'])).toEqual(['2', '2', '2']);
      expect(fakes[0]!.calls.placed.length + fakes[1]!.calls.placed.length).toBe(2);
    });

    it('counts a POST in both buckets, in the same counters one-bucket requests use', async () => {
      for (const fake of fakes) fake.keys.issue('ct_live_mixedkey_0123456789abcd', { tenantId: 'tenant-m', keyId: 'key_m' });
      const auth = 'Bearer ct_live_mixedkey_0123456789abcd';
      // general 4 per minute: a GET (one bucket), two POSTs (both buckets at once), a GET, then 429.
      expect((await request(apps[0]).get('/api/v1/calls').set('Authorization', auth)).headers['x-ratelimit-remaining']).toBe('3');
      const posts = [await request(apps[1]).post('/api/v1/calls').set('Authorization', auth).send({ phone_number: '+4915112345678' })];
      posts.push(await request(apps[0]).post('/api/v1/calls').set('Authorization', auth).send({ phone_number: '+4915112345678' }));
      expect(posts.map((res) => [res.status, res.headers['x-ratelimit-remaining']])).toEqual([[201, '1'], [201, '0']]);
      expect((await request(apps[1]).get('/api/v1/calls').set('Authorization', auth)).headers['x-ratelimit-remaining']).toBe('0');
      expect((await request(apps[0]).get('/api/v1/calls').set('Authorization', auth)).status).toBe(429);
      // What the library itself reads back from the rows the combined count wrote.
      expect((await opened.first.peek('general', 'key:key_m', 4)).remaining).toBe(0);
      expect((await opened.second.peek('calls', 'key:key_m', 2)).remaining).toBe(0);
    });

    it("applies a plan's own limits over the defaults", async () => {
      fakes[0]!.keys.issue('ct_live_goldplan_0123456789abcd', { tenantId: 'tenant-gold', keyId: 'key_gold', limits: { generalPerMinute: 7, callsPerMinute: null } });
      const res = await request(apps[0]).get('/api/v1/calls').set('Authorization', 'Bearer ct_live_goldplan_0123456789abcd');
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('7');
      expect(res.headers['x-ratelimit-remaining']).toBe('6');
    });
  });
}
