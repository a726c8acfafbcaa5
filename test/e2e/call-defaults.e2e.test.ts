import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { testDatabases } from '../support/databases.ts';
import { startTestEngine, type RunningEngine } from './support/engine.ts';

const [pglite] = testDatabases();

describe('an account’s default maximum call duration', () => {
  let running: RunningEngine;
  const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });
  const requestedMax = async (callId: string) => {
    const call = await request(running.engine.app).get(`/api/v1/calls/${callId}`).set(auth());
    return call.body.timeline[0].data.maxDurationSeconds as number;
  };

  beforeAll(async () => {
    running = await startTestEngine(await pglite!.open());
  });
  afterAll(async () => {
    await running?.close();
  });

  it('applies to calls that name no maximum, sizes the hold, and can be reset to the engine default', async () => {
    const patched = await request(running.engine.app)
      .patch(`/api/v1/accounts/${running.accountId}`)
      .set(auth())
      .send({ max_call_duration_seconds: 120 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.max_call_duration_seconds).toBe(120);

    const before = await request(running.engine.app).get('/api/v1/balance').set(auth());
    const placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230408' });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(await requestedMax(placed.body.id)).toBe(120);
    const during = await request(running.engine.app).get('/api/v1/balance').set(auth());
    const held = before.body.available.amount_minor - during.body.available.amount_minor;
    // +92 is PKR 2.00/min on 60/60 in the sandbox plan: 120 s plus the watchdog's second bills as 3 minutes
    expect(held).toBe(600);

    const explicit = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230408', max_duration_seconds: 45 });
    expect(await requestedMax(explicit.body.id)).toBe(45);

    const reset = await request(running.engine.app).patch(`/api/v1/accounts/${running.accountId}`).set(auth()).send({ max_call_duration_seconds: null });
    expect(reset.body.max_call_duration_seconds).toBeNull();
    const after = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230408' });
    expect(await requestedMax(after.body.id)).toBe(loadConfig({}).callDefaults.maxDurationSeconds);
  });

  it('refuses a ceiling outside 1..14400 with 422 and changes nothing', async () => {
    const bad = await request(running.engine.app).patch(`/api/v1/accounts/${running.accountId}`).set(auth()).send({ max_call_duration_seconds: 0 });
    expect(bad.status).toBe(422);
    const account = await request(running.engine.app).get(`/api/v1/accounts/${running.accountId}`).set(auth());
    expect(account.body.max_call_duration_seconds).toBeNull();
  });
});
