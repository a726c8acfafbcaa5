import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type express from 'express';
import { createApp } from '../../src/http/app.ts';
import { fakeDependencies, TENANT_A, TENANT_B, TOKEN_A, type Fakes } from './support/fake-dependencies.ts';

let fakes: Fakes;
let app: express.Express;

beforeEach(() => {
  fakes = fakeDependencies();
  app = createApp(fakes.deps);
});

const bearer = `Bearer ${TOKEN_A}`;
const post = (path: string) => request(app).post(path).set('Authorization', bearer);
const get = (path: string) => request(app).get(path).set('Authorization', bearer);

type Issue = { path: string; message: string };
const issuesOf = (body: { error: { details: { issues: Issue[] } } }): Issue[] => body.error.details.issues;

describe('POST /api/v1/calls', () => {
  it('places a ZensCall-shaped request and answers 201 with the call and its Location', async () => {
    const res = await post('/api/v1/calls').send({ phone_number: '+4915112345678', audio_id: 'welcome' });

    expect(res.status).toBe(201);
    expect(res.headers['location']).toBe(`/api/v1/calls/${res.body.id}`);
    expect(res.body).toMatchObject({ status: 'REQUESTED', phone_number: '+4915112345678', audio_id: 'welcome', record: false, duration_seconds: null });
    expect(fakes.calls.placed[0]?.input).toEqual({
      phoneNumber: '+4915112345678',
      audioId: 'welcome',
      callerId: null,
      record: false,
      maxDurationSeconds: null,
      ringTimeoutSeconds: null,
      optOutDigit: null,
    });
  });

  it('passes the principal and the request ids to the command', async () => {
    const res = await post('/api/v1/calls').set('X-Correlation-Id', 'corr-123').send({ phone_number: '+4915112345678' });

    expect(res.status).toBe(201);
    const ctx = fakes.calls.placed[0]?.ctx;
    expect(ctx?.principal.tenantId).toBe(TENANT_A);
    expect(ctx?.correlationId).toBe('corr-123');
    expect(ctx?.requestId).toBe(res.headers['x-request-id']);
  });

  it('accepts the ZeroVoice shape on its /outbound path', async () => {
    const res = await post('/api/v1/calls/outbound').send({ to_number: '+14155550100', from_number: '+14155550199', record: true });

    expect(res.status).toBe(201);
    expect(fakes.calls.placed[0]?.input).toMatchObject({ phoneNumber: '+14155550100', callerId: '+14155550199', record: true });
    expect(res.body).toMatchObject({ phone_number: '+14155550100', from_number: '+14155550199', record: true });
  });

  it('accepts the ZazaVoice shape', async () => {
    const res = await post('/api/v1/calls').send({ to: '+33612345678', from: '+33612345679' });

    expect(res.status).toBe(201);
    expect(fakes.calls.placed[0]?.input).toMatchObject({ phoneNumber: '+33612345678', callerId: '+33612345679' });
  });

  it('accepts our own optional fields', async () => {
    const res = await post('/api/v1/calls').send({
      phone_number: '+4915112345678',
      caller_id: '+4930123456',
      record: true,
      max_duration_seconds: 14_400,
      ring_timeout_seconds: 1,
      opt_out_digit: '#',
    });

    expect(res.status).toBe(201);
    expect(fakes.calls.placed[0]?.input).toEqual({
      phoneNumber: '+4915112345678',
      audioId: null,
      callerId: '+4930123456',
      record: true,
      maxDurationSeconds: 14_400,
      ringTimeoutSeconds: 1,
      optOutDigit: '#',
    });
  });

  it('names unknown fields in a 422', async () => {
    const res = await post('/api/v1/calls').send({ phone_number: '+4915112345678', webhook_url: 'https://x', priority: 1 });

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(issuesOf(res.body).map((issue) => issue.path).sort()).toEqual(['priority', 'webhook_url']);
    expect(fakes.calls.placed).toHaveLength(0);
  });

  it.each([
    ['no destination', { audio_id: 'x' }],
    ['two destinations', { phone_number: '+4915112345678', to: '+4915112345679' }],
    ['two caller ids', { phone_number: '+4915112345678', from: '+1', caller_id: '+2' }],
    ['a numeric phone number', { phone_number: 4915112345678 }],
    ['an empty phone number', { phone_number: '  ' }],
    ['max_duration_seconds above 14400', { phone_number: '+4915112345678', max_duration_seconds: 14_401 }],
    ['max_duration_seconds of 0', { phone_number: '+4915112345678', max_duration_seconds: 0 }],
    ['ring_timeout_seconds above 300', { phone_number: '+4915112345678', ring_timeout_seconds: 301 }],
    ['a fractional ring timeout', { phone_number: '+4915112345678', ring_timeout_seconds: 1.5 }],
    ['record as a string', { phone_number: '+4915112345678', record: 'yes' }],
    ['a JSON array', [{ phone_number: '+4915112345678' }]],
  ])('refuses %s with 422 VALIDATION_ERROR', async (_name, body) => {
    const res = await post('/api/v1/calls').send(body as object);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(issuesOf(res.body).length).toBeGreaterThan(0);
    expect(fakes.calls.placed).toHaveLength(0);
  });

  it('tells a client that sent no body which field is missing', async () => {
    const res = await post('/api/v1/calls');

    expect(res.status).toBe(422);
    expect(issuesOf(res.body)[0]?.message).toMatch(/phone_number/);
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const res = await post('/api/v1/calls').set('Content-Type', 'application/json').send('{"phone_number": ');

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_JSON');
  });

  it('answers a form-encoded body with 415', async () => {
    const res = await post('/api/v1/calls').type('form').send('phone_number=%2B4915112345678');

    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversized body with 413', async () => {
    const res = await post('/api/v1/calls').send({ phone_number: '+4915112345678', audio_id: 'a'.repeat(20_000) });

    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('GET /api/v1/calls', () => {
  it('pages the tenant\'s calls newest first', async () => {
    const seeded = Array.from({ length: 5 }, () => fakes.calls.seed(TENANT_A));
    fakes.calls.seed(TENANT_B);

    const res = await get('/api/v1/calls?page=2&per_page=2');

    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ page: 2, per_page: 2, total: 5, total_pages: 3 });
    expect(res.body.data.map((call: { id: string }) => call.id)).toEqual([seeded[2]?.callId, seeded[1]?.callId]);
  });

  it('defaults to page 1 of 20', async () => {
    fakes.calls.seed(TENANT_A);

    const res = await get('/api/v1/calls');

    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ page: 1, per_page: 20, total: 1, total_pages: 1 });
  });

  it('accepts limit as per_page', async () => {
    Array.from({ length: 3 }, () => fakes.calls.seed(TENANT_A));

    const res = await get('/api/v1/calls?limit=1');

    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.pagination).toMatchObject({ per_page: 1, total_pages: 3 });
  });

  it('filters by status, case-insensitively', async () => {
    const busy = fakes.calls.seed(TENANT_A, { status: 'BUSY' });
    fakes.calls.seed(TENANT_A, { status: 'COMPLETED' });

    const res = await get('/api/v1/calls?status=busy');

    expect(res.status).toBe(200);
    expect(res.body.data.map((call: { id: string }) => call.id)).toEqual([busy.callId]);
  });

  it.each([
    'page=0',
    'page=-1',
    'page=abc',
    'page=1.5',
    'page=1e2',
    'page=',
    'per_page=0',
    'per_page=101',
    'limit=500',
    'per_page=10&limit=10',
    'page=1&page=2',
    'status=RINGINGG',
    'status=',
    'from=yesterday',
    'from=2026-11-23',
    'from=2026-11-23T10:15:00',
    'from=2026-13-40T10:15:00Z',
    'from=2026-02-31T10:15:00Z',
    'to=',
    'from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z',
    'from=2026-11-23T00:00:00Z&to=2026-11-23T00:00:00Z',
    'campaign_id=',
    `campaign_id=${'x'.repeat(201)}`,
    'phone=',
    'phone=%2B49%25',
    'phone=49-151',
    'phone=abc',
    `phone=${'1'.repeat(21)}`,
  ])('refuses ?%s with 422', async (query) => {
    const res = await get(`/api/v1/calls?${query}`);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('filters by created time (to exclusive), campaign and number, passing each to the read model', async () => {
    const early = fakes.calls.seed(TENANT_A, { to: '+4915112345678', campaignId: 'camp-1' });
    const late = fakes.calls.seed(TENANT_A, { to: '+14155550100', campaignId: 'camp-1' });
    fakes.calls.seed(TENANT_A, { to: '+4930123456' });
    const ids = async (query: string) => (await get(`/api/v1/calls?${query}`)).body.data.map((call: { id: string }) => call.id);

    expect(await ids(`from=${encodeURIComponent(late.requestedAt)}&campaign_id=camp-1`)).toEqual([late.callId]);
    expect(await ids(`to=${encodeURIComponent(late.requestedAt)}&campaign_id=camp-1`)).toEqual([early.callId]);
    expect(await ids('phone=%2B49151')).toEqual([early.callId]);
    expect(await ids('phone=5550100')).toEqual([late.callId]);
    // A time with an offset is the same instant in UTC.
    const offset = new Date(Date.parse(late.requestedAt)).toISOString().replace('Z', '+00:00');
    expect(await ids(`from=${encodeURIComponent(offset)}&phone=%2B1`)).toEqual([late.callId]);
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-11-23', 'to'],
    ['from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z', 'to'],
    ['campaign_id=', 'campaign_id'],
    ['phone=49*', 'phone'],
  ])('names the field of a bad filter ?%s', async (query, field) => {
    const res = await get(`/api/v1/calls?${query}`);

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.any(String) });
    expect(issuesOf(res.body).map((issue) => issue.path)).toEqual([field]);
  });

  it('names the field of a bad status filter', async () => {
    const res = await get('/api/v1/calls?status=ringingg');

    expect(issuesOf(res.body)[0]?.path).toBe('status');
  });
});

describe('GET /api/v1/calls/:id', () => {
  it('returns the call with its timeline', async () => {
    const call = fakes.calls.seed(
      TENANT_A,
      {
        status: 'COMPLETED',
        answeredAt: '2026-01-01T00:00:05.000Z',
        endedAt: '2026-01-01T00:00:15.001Z',
        billableMs: 10_001,
        cause: 16,
        causeText: 'Normal Clearing',
      },
      [
        {
          eventId: 'e1',
          revision: 0,
          type: 'CallRequested',
          occurredAt: '2026-01-01T00:00:00.000Z',
          actor: 'apikey:key_a',
          correlationId: 'c1',
          causationId: 'r1',
          data: { to: '+4915112345678' },
        },
      ],
    );

    const res = await get(`/api/v1/calls/${call.callId}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: call.callId,
      status: 'COMPLETED',
      duration_seconds: 11,
      billable_ms: 10_001,
      hangup_cause: { code: 16, text: 'Normal Clearing' },
    });
    expect(res.body.timeline).toEqual([
      {
        event_id: 'e1',
        type: 'CallRequested',
        at: '2026-01-01T00:00:00.000Z',
        actor: 'apikey:key_a',
        correlation_id: 'c1',
        causation_id: 'r1',
        data: { to: '+4915112345678' },
      },
    ]);
  });

  it('answers another tenant\'s call with the same 404 as an unknown one', async () => {
    const foreign = fakes.calls.seed(TENANT_B);

    const foreignRes = await get(`/api/v1/calls/${foreign.callId}`);
    const unknownRes = await get('/api/v1/calls/00000000-0000-4000-8000-000000000000');

    expect(foreignRes.status).toBe(404);
    expect(foreignRes.body).toEqual(unknownRes.body);
    expect(foreignRes.body.error.code).toBe('CALL_NOT_FOUND');
  });

  it('answers a malformed id with 404 CALL_NOT_FOUND', async () => {
    const res = await get('/api/v1/calls/not-a-uuid');

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CALL_NOT_FOUND');
  });
});

describe('POST /api/v1/calls/:id/hangup', () => {
  it('accepts the hangup with 202 and the call', async () => {
    const call = fakes.calls.seed(TENANT_A, { status: 'ANSWERED' });

    const res = await post(`/api/v1/calls/${call.callId}/hangup`);

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: call.callId, status: 'ANSWERED' });
    expect(fakes.calls.hangups.map((hangup) => hangup.callId)).toEqual([call.callId]);
  });

  it('answers with the id alone when the read model has not caught up', async () => {
    const call = fakes.calls.seed(TENANT_A);
    const get = fakes.calls.get.bind(fakes.calls);
    fakes.calls.get = async () => null;

    const res = await post(`/api/v1/calls/${call.callId}/hangup`);
    fakes.calls.get = get;

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: call.callId });
  });

  it('answers another tenant\'s call with 404 and hangs nothing up', async () => {
    const foreign = fakes.calls.seed(TENANT_B, { status: 'ANSWERED' });

    const res = await post(`/api/v1/calls/${foreign.callId}/hangup`);

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CALL_NOT_FOUND');
    expect(fakes.calls.hangups).toHaveLength(0);
  });

  it('answers a malformed id with 404', async () => {
    const res = await post('/api/v1/calls/123/hangup');

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CALL_NOT_FOUND');
  });
});
