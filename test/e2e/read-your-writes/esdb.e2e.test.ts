import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/db/database.ts';
import { createEsdbEventStore, type EsdbEventStore } from '../../../src/adapters/eventstore/esdb-event-store.ts';
import { CONSISTENCY_HEADER, POSITION_HEADER } from '../../../src/http/consistency/middleware.ts';
import { decodePosition } from '../../../src/http/consistency/position-token.ts';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.ts';
import { startTestEngine, type RunningEngine } from '../support/engine.ts';

/** The same read-your-writes contract when the log is EventStoreDB (through the wire double). */
describe('read-your-writes on EventStoreDB: the 201 names an ESDB log position that reads can wait for', () => {
  let double: EsdbDouble;
  let store: EsdbEventStore;
  let running: RunningEngine;
  const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });

  beforeAll(async () => {
    double = await startEsdbDouble();
    store = createEsdbEventStore(double.url);
    await store.connect();
    running = await startTestEngine(await openDatabase({}), { eventStore: store });
  });
  afterAll(async () => {
    await running?.close();
    await store?.close();
    await double?.close();
  });

  it('20 POST-then-list pairs with the header: every call is listed, every read current', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '03001234567', max_duration_seconds: 5 });
        expect(placed.status, JSON.stringify(placed.body)).toBe(201);
        const token = placed.headers[POSITION_HEADER.toLowerCase()] as string;
        expect(decodePosition(token)).not.toBeNull();
        const list = await request(running.engine.app).get('/api/v1/calls?per_page=50').set(auth()).set(POSITION_HEADER, token);
        return {
          listed: list.body.data.some((call: { id: string }) => call.id === placed.body.id),
          consistency: list.headers[CONSISTENCY_HEADER.toLowerCase()],
        };
      }),
    );
    expect(outcomes.filter((outcome) => !outcome.listed)).toHaveLength(0);
    expect(new Set(outcomes.map((outcome) => outcome.consistency))).toEqual(new Set(['current']));
  }, 120_000);
});
