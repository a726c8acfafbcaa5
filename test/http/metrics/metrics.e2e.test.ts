import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/db/database.ts';
import { routeTemplateOf } from '../../../src/http/metrics.ts';
import { waitForCall } from '../../e2e/support/engine.ts';
import { bearer, createTenant, startFrontDoorEngine, type FrontDoorEngine } from '../../e2e/front-door/support.ts';
import { poll } from '../../support/poll.ts';

/**
 * GET /metrics after real traffic: calls placed through the API on the sandbox PBX, some busy,
 * some answered. Checks each family the operator needs, that only the operator key reads it, and
 * that no tenant's ids or numbers reach a label.
 */

const sample = (text: string, name: string, labels: Record<string, string> = {}): number | null => {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
};

describe('GET /metrics', () => {
  let running: FrontDoorEngine;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  const callIds: string[] = [];

  beforeAll(async () => {
    running = await startFrontDoorEngine(await openDatabase({}));
    tenant = await createTenant(running, 'Metrics Tenant', { email: 'owner@metrics.example', password: 'correct horse battery staple' });
    const app = running.engine.app;
    for (const number of ['03001230486', '03001230486', '03001234567']) {
      const res = await request(app).post('/api/v1/calls').set(bearer(tenant.ownerKey)).send({ phone_number: number });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      callIds.push(res.body.id);
    }
    for (const id of callIds) await waitForCall(running.engine, tenant.ownerKey, id, (call) => !['REQUESTED', 'DIALING', 'RINGING', 'ANSWERED'].includes(call.status), 30_000);
    expect((await request(app).get(`/api/v1/calls/${callIds[0]}`).set(bearer(tenant.ownerKey))).status).toBe(200);
  }, 60_000);
  afterAll(async () => running?.close());

  const scrape = async () => {
    const res = await request(running.engine.app).get('/metrics').set(bearer(running.operatorKey));
    expect(res.status, res.text).toBe(200);
    expect(res.type).toBe('text/plain');
    return res.text;
  };

  it('answers only the operator key, in the one error shape otherwise', async () => {
    const app = running.engine.app;
    for (const res of [await request(app).get('/metrics'), await request(app).get('/metrics').set(bearer(tenant.ownerKey))]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String), details: {} } });
    }
  });

  it('counts HTTP requests and their latency by route template and status', async () => {
    const text = await scrape();
    expect(sample(text, 'calltrail_http_requests_total', { method: 'POST', route: '/api/v1/calls', status: '201' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'calltrail_http_requests_total', { method: 'GET', route: '/api/v1/calls/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'calltrail_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/calls', status: '201' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'calltrail_http_request_duration_seconds_bucket', { method: 'POST', route: '/api/v1/calls', le: '+Inf' })).toBeGreaterThanOrEqual(3);
  });

  it('counts calls placed, live and ended by status', async () => {
    const text = await scrape();
    expect(sample(text, 'calltrail_calls_placed_total')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'calltrail_calls_ended_total', { status: 'BUSY' })).toBe(2);
    expect(sample(text, 'calltrail_calls_ended_total', { status: 'COMPLETED' })).toBe(1);
    expect(sample(text, 'calltrail_calls_live', { status: 'ANSWERED' })).toBe(0);
  });

  it('shows the ARI node, its circuit breaker, the CPS queue, append latency and campaign attempts in flight', async () => {
    const text = await scrape();
    expect(sample(text, 'calltrail_ari_node_up', { node: 'sandbox' })).toBe(1);
    expect(sample(text, 'calltrail_ari_circuit_breaker_state', { node: 'sandbox', state: 'closed' })).toBe(1);
    expect(sample(text, 'calltrail_ari_circuit_breaker_state', { node: 'sandbox', state: 'open' })).toBe(0);
    expect(sample(text, 'calltrail_cps_queue_depth', { trunk: 'sandbox' })).toBe(0);
    expect(sample(text, 'calltrail_event_store_append_duration_seconds_count', { result: 'ok' })).toBeGreaterThan(10);
    expect(sample(text, 'calltrail_campaign_attempts_in_flight')).toBe(0);
    expect(sample(text, 'calltrail_webhook_deliveries_pending')).toBe(0);
    expect(sample(text, 'calltrail_webhook_oldest_pending_seconds')).toBe(0);
  });

  it("shows each projection's and reactor's lag in events and seconds, reaching 0 once caught up", async () => {
    const text = await poll('every consumer caught up', async () => {
      const text = await scrape();
      const lags = text.split('\n').filter((line) => line.startsWith('calltrail_consumer_lag_events{'));
      return lags.length > 0 && lags.every((line) => line.endsWith(' 0')) ? text : null;
    });
    expect(sample(text, 'calltrail_consumer_lag_events', { kind: 'projection', consumer: 'calls' }) ?? sample(text, 'calltrail_consumer_lag_events', { kind: 'projection' })).toBe(0);
    expect(sample(text, 'calltrail_consumer_lag_events', { kind: 'reactor' })).toBe(0);
    expect(sample(text, 'calltrail_consumer_lag_seconds', { kind: 'projection' })).toBe(0);
  });

  it('puts no tenant data in any label', async () => {
    const text = await scrape();
    for (const secret of [tenant.accountId, running.accountId, ...callIds, '03001230486', '+923001230486', 'Metrics Tenant', 'metrics.example', tenant.ownerKey]) {
      expect(text, secret).not.toContain(secret);
    }
  });
});

describe('route templates for metric labels', () => {
  const templateOf = routeTemplateOf();
  it('maps a path to its documented template, literal segments first', () => {
    expect(templateOf('POST', '/api/v1/calls/outbound')).toBe('/api/v1/calls/outbound');
    expect(templateOf('GET', '/api/v1/calls/8c6a3d4e-0000-4000-8000-000000000000')).toBe('/api/v1/calls/:id');
    expect(templateOf('GET', '/api/v1/calls/abc/audit')).toBe('/api/v1/calls/:id/audit');
    expect(templateOf('HEAD', '/health')).toBe('/health');
    expect(templateOf('GET', '/api/v1/no-such-thing/123')).toBe('unmatched');
    expect(templateOf('GET', '/.env')).toBe('unmatched');
  });
});
