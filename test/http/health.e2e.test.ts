import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type express from 'express';
import { createApp } from '../../src/http/app.ts';
import { fakeDependencies, type Fakes } from './support/fake-dependencies.ts';

let fakes: Fakes;
let app: express.Express;

beforeEach(() => {
  fakes = fakeDependencies();
  app = createApp(fakes.deps);
});

describe('health', () => {
  it('answers liveness without authentication', async () => {
    const res = await request(app).get('/health');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('is ready when every component is', async () => {
    const res = await request(app).get('/health/ready');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', failing: [] });
    expect(res.body.components.event_store).toEqual({ ok: true });
  });

  it('answers 503 naming the failing component', async () => {
    fakes.setHealth({
      ok: false,
      components: { event_store: { ok: true }, telephony: { ok: false, detail: 'asterisk-1: websocket closed' } },
    });

    const res = await request(app).get('/health/ready');

    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['telephony']);
    expect(res.body.components.telephony).toEqual({ ok: false, detail: 'asterisk-1: websocket closed' });
  });

  it('is not ready when the report says so even if no component is named', async () => {
    fakes.setHealth({ ok: false, components: {} });

    const res = await request(app).get('/health/ready');

    expect(res.status).toBe(503);
  });

  it('answers 503 when the health check itself throws', async () => {
    fakes.setHealth(new Error('pool exhausted'));

    const res = await request(app).get('/health/ready');

    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['health_check']);
    expect(JSON.stringify(res.body)).not.toContain('pool exhausted');
  });
});
