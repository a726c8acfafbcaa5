import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { startTestEngine, waitForCall, type RunningEngine } from './support/engine.ts';

const [pglite] = testDatabases();

describe('recordings and PBX faults, end to end', () => {
  let running: RunningEngine;
  const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });

  beforeAll(async () => {
    running = await startTestEngine(await pglite!.open());
  });
  afterAll(async () => {
    await running?.close();
  });

  it('records a call asked to, lists the recording and streams its audio from the PBX', async () => {
    const placed = await request(running.engine.app)
      .post('/api/v1/calls')
      .set(auth())
      // The callee hangs up 90 s (0.9 s real) after answering. The recording starts two requests
      // after the answer (snoop, then record), which on a busy machine can take longer than 0.3 s.
      .send({ phone_number: '+923001230190', record: true });
    expect(placed.status).toBe(201);
    const call = await waitForCall(running.engine, running.apiKey, placed.body.id, (c) =>
      c.timeline.some((e: any) => e.type === 'RecordingStored') && c.status === 'COMPLETED',
    );
    const stored = call.timeline.find((e: any) => e.type === 'RecordingStored');
    expect(stored.data).toMatchObject({ format: 'wav', name: expect.any(String) });

    const list = await request(running.engine.app).get(`/api/v1/calls/${placed.body.id}/recordings`).set(auth());
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ name: stored.data.name, format: 'wav' });

    const file = await request(running.engine.app)
      .get(list.body.data[0].url)
      .set(auth())
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^audio\//);
    expect((file.body as Buffer).subarray(0, 4).toString('ascii')).toBe('RIFF');

    const missing = await request(running.engine.app).get(`/api/v1/calls/${placed.body.id}/recordings/nope`).set(auth());
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('RECORDING_NOT_FOUND');
  });

  it('answers 503 TELEPHONY_UNAVAILABLE when every PBX node is down, names the node in /health/ready, and recovers', async () => {
    running.simulator.setDown(true);
    const deadline = Date.now() + 15_000;
    let ready = await request(running.engine.app).get('/health/ready');
    while (ready.status !== 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ready = await request(running.engine.app).get('/health/ready');
    }
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain('telephony:sandbox');

    const before = await request(running.engine.app).get('/api/v1/calls').set(auth());
    const refused = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001234567' });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('TELEPHONY_UNAVAILABLE');
    const after = await request(running.engine.app).get('/api/v1/calls').set(auth());
    expect(after.body.pagination.total).toBe(before.body.pagination.total);

    running.simulator.setDown(false);
    const back = Date.now() + 30_000;
    let placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001234567' });
    while (placed.status === 503 && Date.now() < back) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001234567' });
    }
    expect(placed.status).toBe(201);
  });
});
