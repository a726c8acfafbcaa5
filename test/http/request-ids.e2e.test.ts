import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type express from 'express';
import { createApp } from '../../src/http/app.ts';
import { fakeDependencies, TOKEN_A, type Fakes } from './support/fake-dependencies.ts';

let fakes: Fakes;
let app: express.Express;

beforeEach(() => {
  fakes = fakeDependencies();
  app = createApp(fakes.deps);
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request and correlation ids', () => {
  it('echoes ids the client sent', async () => {
    const res = await request(app).get('/health').set('X-Request-Id', 'req-abc.1').set('X-Correlation-Id', 'order:42');

    expect(res.headers['x-request-id']).toBe('req-abc.1');
    expect(res.headers['x-correlation-id']).toBe('order:42');
  });

  it('generates distinct uuids when the client sent none', async () => {
    const res = await request(app).get('/health');

    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.headers['x-correlation-id']).toMatch(UUID);
    expect(res.headers['x-request-id']).not.toBe(res.headers['x-correlation-id']);
  });

  it.each([
    ['too long', 'r'.repeat(129)],
    ['with spaces', 'a b'],
    ['with markup', '<script>'],
    ['empty', ''],
  ])('replaces an id that is %s', async (_name, id) => {
    const res = await request(app).get('/health').set('X-Request-Id', id);

    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  it('accepts an id of exactly 128 characters', async () => {
    const id = 'r'.repeat(128);

    const res = await request(app).get('/health').set('X-Request-Id', id);

    expect(res.headers['x-request-id']).toBe(id);
  });

  it('echoes ids on errors too', async () => {
    const res = await request(app).get('/api/v1/calls').set('X-Request-Id', 'req-401');

    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe('req-401');
  });

  it('logs each request with its ids', async () => {
    await request(app).get('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`).set('X-Request-Id', 'req-log');

    expect(fakes.logger.entries).toContainEqual(
      expect.objectContaining({ level: 'info', fields: expect.objectContaining({ requestId: 'req-log', status: 200, path: '/api/v1/calls' }) }),
    );
  });
});
