import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSISTENCY_HEADER, POSITION_HEADER } from '../../../src/http/consistency/middleware.ts';
import { decodePosition } from '../../../src/http/consistency/position-token.ts';
import { ensureDemoAccess } from '../../../src/app/bootstrap.ts';
import { loadConfig } from '../../../src/app/config.ts';
import { Engine } from '../../../src/app/engine.ts';
import { systemClock } from '../../../src/domain/shared/clock.ts';
import { testDatabases, type TestDatabase } from '../../support/databases.ts';
import { FakeTelephony } from '../../support/fake-telephony.ts';

type Running = { engine: Engine; apiKey: string; close(): Promise<void> };

/**
 * The engine with a PBX that accepts every originate and reports nothing: the burst is about the
 * read models, and a simulator playing 400 calls on a loaded machine would only add noise.
 */
async function startEngine(backend: TestDatabase): Promise<Running> {
  const database = await backend.open();
  const config = loadConfig({ RATE_LIMIT_GENERAL_PER_MINUTE: '1000000', RATE_LIMIT_CALLS_PER_MINUTE: '1000000' });
  const engine = await Engine.create({ config, clock: systemClock, database, telephony: async () => new FakeTelephony() });
  await engine.start();
  const { apiKey } = await ensureDemoAccess(engine, config);
  return {
    engine,
    apiKey,
    async close() {
      await engine.stop();
      await database.close();
    },
  };
}

/**
 * Issue 11 §4: an integrator's first script places a call and reads it straight back. In a burst
 * that read must never be 404, whether the client presents the 201's Calltrail-Position (the read
 * waits for the read models) or not (the call is read from its stream).
 */

const PAIRS = 200;
const TIMEOUT_MS = 240_000;
const AT_ONCE = 20;

async function inBatches<T>(count: number, size: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += size) {
    const batch = Array.from({ length: Math.min(size, count - start) }, (_, offset) => work(start + offset));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

for (const backend of testDatabases()) {
  describe(`read-your-writes on ${backend.name}: ${PAIRS} POST-then-GET pairs, ${AT_ONCE} at a time`, () => {
    let running: Running;
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });
    const place = () =>
      request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '03001234567', max_duration_seconds: 5 });

    beforeAll(async () => {
      running = await startEngine(backend);
    });
    afterAll(async () => {
      await running?.close();
    });

    it('without the header: no GET answers 404, each shows the call just placed', async () => {
      const statuses = await inBatches(PAIRS, AT_ONCE, async () => {
        const placed = await place();
        expect(placed.status, JSON.stringify(placed.body)).toBe(201);
        const read = await request(running.engine.app).get(`/api/v1/calls/${placed.body.id}`).set(auth());
        if (read.status === 200) {
          expect(read.body.id).toBe(placed.body.id);
          expect(read.body.timeline[0].type).toBe('CallRequested');
        }
        return read.status;
      });
      expect(statuses.filter((status) => status === 404)).toHaveLength(0);
      expect(statuses.every((status) => status === 200)).toBe(true);
    }, TIMEOUT_MS);

    it('with the 201\'s Calltrail-Position: the read model itself shows the call (the list has no stream fallback)', async () => {
      const outcomes = await inBatches(PAIRS, AT_ONCE, async () => {
        const placed = await place();
        expect(placed.status, JSON.stringify(placed.body)).toBe(201);
        const token = placed.headers[POSITION_HEADER.toLowerCase()] as string;
        expect(decodePosition(token)).not.toBeNull();
        const one = await request(running.engine.app).get(`/api/v1/calls/${placed.body.id}`).set(auth()).set(POSITION_HEADER, token);
        // Newest first, and at most AT_ONCE - 1 other calls are placed meanwhile: the call is on page 1.
        const list = await request(running.engine.app).get('/api/v1/calls?per_page=50').set(auth()).set(POSITION_HEADER, token);
        return {
          one: one.status,
          listed: list.status === 200 && list.body.data.some((call: { id: string }) => call.id === placed.body.id),
          consistency: [one.headers[CONSISTENCY_HEADER.toLowerCase()], list.headers[CONSISTENCY_HEADER.toLowerCase()]],
        };
      });
      expect(outcomes.filter((outcome) => outcome.one === 404)).toHaveLength(0);
      expect(outcomes.filter((outcome) => !outcome.listed)).toHaveLength(0);
      expect(new Set(outcomes.flatMap((outcome) => outcome.consistency))).toEqual(new Set(['current']));
    }, TIMEOUT_MS);

    it('a hangup answers with a later position; a token that is not ours is 400 INVALID_POSITION', async () => {
      const placed = await place();
      const hangup = await request(running.engine.app).post(`/api/v1/calls/${placed.body.id}/hangup`).set(auth());
      expect(hangup.status).toBe(202);
      const before = decodePosition(placed.headers[POSITION_HEADER.toLowerCase()] as string)!;
      const after = decodePosition(hangup.headers[POSITION_HEADER.toLowerCase()] as string)!;
      expect(after.commit > before.commit || (after.commit === before.commit && after.prepare > before.prepare)).toBe(true);

      const forged = await request(running.engine.app).get(`/api/v1/calls/${placed.body.id}`).set(auth()).set(POSITION_HEADER, '12345');
      expect(forged.status).toBe(400);
      expect(forged.body).toEqual({ error: { code: 'INVALID_POSITION', message: expect.any(String), details: { header: POSITION_HEADER } } });
    });

    it('a read without the header carries no position, and a read names none either', async () => {
      const list = await request(running.engine.app).get('/api/v1/calls').set(auth());
      expect(list.status).toBe(200);
      expect(list.headers[POSITION_HEADER.toLowerCase()]).toBeUndefined();
      expect(list.headers[CONSISTENCY_HEADER.toLowerCase()]).toBeUndefined();
    });
  });
}
