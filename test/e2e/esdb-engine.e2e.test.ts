import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.ts';
import { createEsdbEventStore, type EsdbEventStore } from '../../src/adapters/eventstore/esdb-event-store.ts';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/index.ts';
import { startTestEngine, waitForCall, type RunningEngine } from './support/engine.ts';

describe('the engine on EventStoreDB (through the wire double), end to end', () => {
  let double: EsdbDouble;
  let store: EsdbEventStore;
  let running: RunningEngine;
  const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });

  beforeAll(async () => {
    double = await startEsdbDouble();
    store = createEsdbEventStore(double.url, { reconnectInitialDelayMs: 50, reconnectMaxDelayMs: 200 });
    await store.connect();
    running = await startTestEngine(await openDatabase({}), { eventStore: store });
  });
  afterAll(async () => {
    await running?.close();
    await store?.close();
    await double?.close();
  });

  it('places a call whose events live in ESDB and whose read model is in Postgres', async () => {
    const placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230486' });
    expect(placed.status).toBe(201);
    const call = await waitForCall(running.engine, running.apiKey, placed.body.id, (c) => c.status === 'BUSY');
    expect(call.hangup_cause.code).toBe(17);
    const stored = double.events().filter((event) => event.streamName === `call-${placed.body.id}`);
    expect(stored.map((event) => event.type)).toEqual(['CallRequested', 'CallDialing', 'CallFailed']);
  });

  it('answers 503 EVENT_STORE_UNAVAILABLE while ESDB is down, writes nothing, and resumes when it is back', async () => {
    await double.stop();
    const refused = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230486' });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('EVENT_STORE_UNAVAILABLE');
    const ready = await request(running.engine.app).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain('event_store');

    await double.start();
    const placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230486' });
    expect(placed.status).toBe(201);
    // the projection's subscription reconnected by itself: the new call reaches the read model
    const call = await waitForCall(running.engine, running.apiKey, placed.body.id, (c) => c.status === 'BUSY', 30_000);
    expect(call.timeline.map((e: any) => e.type)).toEqual(['CallRequested', 'CallDialing', 'CallFailed']);
    const requested = double.events().filter((event) => event.type === 'CallRequested');
    expect(requested).toHaveLength(2);
  });
});
