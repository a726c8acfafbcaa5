import type express from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/domain/shared/errors.ts';
import { WEEKDAYS } from '../../src/domain/shared/local-time.ts';
import { createApp } from '../../src/http/app.ts';
import { jsonCampaignBody } from '../../src/http/schemas/campaigns.ts';
import type { CampaignContactRecord } from '../../src/projections/campaigns/types.ts';
import { FakeCampaigns, recordFrom } from './support/fake-campaigns.ts';
import { fakeDependencies, TENANT_A, TENANT_B, TOKEN_A, TOKEN_B, type Fakes } from './support/fake-dependencies.ts';

const MAX_CSV = 2048;

let fakes: Fakes;
let campaigns: FakeCampaigns;
let app: express.Express;

beforeEach(() => {
  fakes = fakeDependencies();
  fakes.keys.issue(TOKEN_A, { tenantId: TENANT_A, keyId: 'key_a', scopes: ['campaigns:read', 'campaigns:write'] });
  fakes.keys.issue(TOKEN_B, { tenantId: TENANT_B, keyId: 'key_b', scopes: ['campaigns:read', 'campaigns:write'] });
  campaigns = new FakeCampaigns(MAX_CSV);
  app = createApp({ ...fakes.deps, campaigns });
});

const bearer = `Bearer ${TOKEN_A}`;
const post = (path: string) => request(app).post(path).set('Authorization', bearer);
const get = (path: string) => request(app).get(path).set('Authorization', bearer);

type Issue = { path: string; message: string };
type ErrorBody = { error: { code: string; message: string; details: { issues?: Issue[] } } };
const issuePaths = (body: ErrorBody): string[] => (body.error.details.issues ?? []).map((issue) => issue.path);

/** The standard error body, with its code; returns the named fields. */
function refused(res: request.Response, status: number, code: string): string[] {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error).toEqual({ code, message: expect.any(String), details: expect.any(Object) });
  return issuePaths(res.body);
}

/** The OutboundCalls.ai cURL example, verbatim (reference/outboundcalls-api.txt). */
const OUTBOUND_CALLS_EXAMPLE = `{
    "name": "Q1 Sales Outreach",
    "agent_id": "agent_abc123",
    "contact_list_id": "list_xyz789",
    "schedule": {
      "start_date": "2026-03-25",
      "calling_hours": {"start": "09:00", "end": "18:00"},
      "timezone": "Europe/London"
    },
    "retry_rules": {
      "max_attempts": 3,
      "delay_minutes": 60
    },
    "concurrent_calls": 20
  }`;
/** The same, playing an uploaded file: `agent_id` names a scripted flow, which campaigns do not run yet. */
const outboundCallsWithAudio = () => {
  const { agent_id: _agent, ...rest } = JSON.parse(OUTBOUND_CALLS_EXAMPLE) as Record<string, unknown>;
  return { ...rest, audio_id: '550e8400-e29b-41d4-a716-446655440000' };
};

/** ZensCall's example create (reference/zenscall-api.txt): its text fields and csv_file. */
const ZENSCALL_FIELDS = { name: 'March Promotion', audio_id: '550e8400-e29b-41d4-a716-446655440000', max_retries: '3', concurrent_limit: '10' };
const PHONE_NUMBERS_CSV = Buffer.from('phone_number\n03001234567\n03011234567\nabc\n', 'utf8');

function multipart(fields: Record<string, string>, csv: Buffer | null = PHONE_NUMBERS_CSV, part = 'csv_file') {
  const req = post('/api/v1/campaigns');
  for (const [name, value] of Object.entries(fields)) req.field(name, value);
  return csv === null ? req : req.attach(part, csv, 'phone_numbers.csv');
}

function seedCampaign(tenantId = TENANT_A, overrides: Parameters<typeof recordFrom>[2] = {}) {
  return campaigns.seed(recordFrom(tenantId, jsonCampaignBody.parse(outboundCallsWithAudio()), overrides));
}

describe('POST /api/v1/campaigns with JSON (OutboundCalls.ai)', () => {
  it('refuses the verbatim example by name: agent_id is not supported yet, and audio_id is what it plays', async () => {
    const res = await post('/api/v1/campaigns').set('Content-Type', 'application/json').send(OUTBOUND_CALLS_EXAMPLE);
    expect(refused(res, 422, 'VALIDATION_ERROR').sort()).toEqual(['agent_id', 'audio_id']);
    expect(campaigns.created).toHaveLength(0);
  });

  it('creates the example with an audio_id: 201, Location, and the campaign view', async () => {
    const res = await post('/api/v1/campaigns').send(outboundCallsWithAudio());

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers['location']).toBe(`/api/v1/campaigns/${res.body.id}`);
    const [call] = campaigns.created;
    expect(call?.csv).toBeNull();
    expect(call?.ctx.principal.tenantId).toBe(TENANT_A);
    expect(call?.request).toEqual({
      name: 'Q1 Sales Outreach',
      audioId: '550e8400-e29b-41d4-a716-446655440000',
      callerId: null,
      source: { kind: 'contact_list', contactListId: 'list_xyz789' },
      concurrentLimit: 20,
      maxAttempts: 3,
      retryDelayMinutes: 60,
      retryOn: ['BUSY', 'NO_ANSWER', 'CONGESTION', 'FAILED'],
      maxDurationSeconds: null,
      callsPerSecond: null,
      startDate: '2026-03-25',
      callingHours: { start: '09:00', end: '18:00' },
      timezone: 'Europe/London',
      days: WEEKDAYS,
      autoStart: true,
      optOutDigit: null,
    });
    expect(res.body).toMatchObject({
      name: 'Q1 Sales Outreach',
      status: 'running',
      contact_list_id: 'list_xyz789',
      import_id: null,
      concurrent_limit: 20,
      max_attempts: 3,
      max_retries: 2,
      retry_delay_minutes: 60,
      retry_on: ['busy', 'no_answer', 'congestion', 'failed'],
      schedule: { calling_hours: { start: '09:00', end: '18:00' }, timezone: 'Europe/London' },
    });
    expect(res.body).not.toHaveProperty('import');
    expect(res.body).not.toHaveProperty('concurrent_calls');
  });

  it('takes opt_out_digit, one phone key, and refuses anything else naming the field', async () => {
    const res = await post('/api/v1/campaigns').send({ ...outboundCallsWithAudio(), opt_out_digit: '*' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(campaigns.created[0]?.request).toMatchObject({ optOutDigit: '*' });
    expect(res.body.opt_out_digit).toBe('*');
    for (const digit of ['A', '12', 9]) {
      expect(refused(await post('/api/v1/campaigns').send({ ...outboundCallsWithAudio(), opt_out_digit: digit }), 422, 'VALIDATION_ERROR')).toEqual(['opt_out_digit']);
    }
    expect(refused(await multipart({ ...ZENSCALL_FIELDS, opt_out_digit: '0#' }), 422, 'VALIDATION_ERROR')).toEqual(['opt_out_digit']);
  });

  it('passes the service’s refusals through: an unknown audio_id is 404 naming the field', async () => {
    campaigns.failNextCreateWith = new NotFoundError('AUDIO_NOT_FOUND', 'No audio file with this id exists in your account.', { field: 'audio_id' });
    const res = await post('/api/v1/campaigns').send(outboundCallsWithAudio());
    refused(res, 404, 'AUDIO_NOT_FOUND');
    expect(res.body.error.details).toEqual({ field: 'audio_id' });
  });
});

describe('POST /api/v1/campaigns as multipart (ZensCall)', () => {
  it('creates the example from a CSV upload: 201 with the campaign and its import report, starting at once', async () => {
    const res = await multipart(ZENSCALL_FIELDS);

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers['location']).toBe(`/api/v1/campaigns/${res.body.id}`);
    const [call] = campaigns.created;
    expect(Buffer.from(call!.csv!).equals(PHONE_NUMBERS_CSV)).toBe(true);
    expect(call?.request).toMatchObject({
      name: 'March Promotion',
      audioId: '550e8400-e29b-41d4-a716-446655440000',
      source: { kind: 'csv_upload' },
      concurrentLimit: 10,
      maxAttempts: 4,
      autoStart: true,
    });
    expect(res.body).toMatchObject({ name: 'March Promotion', status: 'running', concurrent_limit: 10, max_retries: 3, max_attempts: 4 });
    expect(res.body.import_id).toEqual(expect.any(String));
    expect(res.body.import).toEqual({
      import_id: 'import-1',
      list_id: res.body.contact_list_id,
      imported: 2,
      duplicates_existing: 0,
      rejected: 1,
      errors: [{ line: 4, phone: 'abc', reason: 'invalid_number', message: 'Not a phone number' }],
    });
  });

  it('takes the other text fields the schema knows, and start=false', async () => {
    const res = await multipart({
      ...ZENSCALL_FIELDS,
      start: 'false',
      caller_id: '+923001112233',
      retry_delay_minutes: '15',
      retry_on: 'busy,no-answer',
      max_duration_seconds: '120',
      calls_per_second: '5',
      days: 'mon,tue',
      timezone: 'Asia/Karachi',
      opt_out_digit: '9',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(campaigns.created[0]?.request).toMatchObject({
      autoStart: false,
      callerId: '+923001112233',
      retryDelayMinutes: 15,
      retryOn: ['BUSY', 'NO_ANSWER'],
      maxDurationSeconds: 120,
      callsPerSecond: 5,
      days: ['mon', 'tue'],
      timezone: 'Asia/Karachi',
      optOutDigit: '9',
    });
    expect(res.body.status).toBe('draft');
    expect(res.body.opt_out_digit).toBe('9');
  });

  it('also takes the file as `file`, as the contacts import names it', async () => {
    expect((await multipart(ZENSCALL_FIELDS, PHONE_NUMBERS_CSV, 'file')).status).toBe(201);
  });
});

describe('bad input is refused in the standard body, naming the field, and creates nothing', () => {
  const json = (body: object) => () => post('/api/v1/campaigns').send(body);
  const withAudio = (patch: Record<string, unknown>) => ({ ...outboundCallsWithAudio(), ...patch });
  const schedule = (patch: Record<string, unknown>) => withAudio({ schedule: { start_date: '2026-03-25', timezone: 'Europe/London', ...patch } });

  it.each([
    ['JSON concurrent_calls 0', 'concurrent_calls', json(withAudio({ concurrent_calls: 0 }))],
    ['JSON concurrent_calls 1001', 'concurrent_calls', json(withAudio({ concurrent_calls: 1001 }))],
    ['JSON concurrent_limit 1.5', 'concurrent_limit', json({ ...withAudio({}), concurrent_calls: undefined, concurrent_limit: 1.5 })],
    ['JSON max_retries 10', 'max_retries', json({ ...withAudio({}), retry_rules: undefined, max_retries: 10 })],
    ['JSON retry_rules.max_attempts 0', 'retry_rules.max_attempts', json(withAudio({ retry_rules: { max_attempts: 0 } }))],
    ['calling hours 25:00', 'schedule.calling_hours.start', json(schedule({ calling_hours: { start: '25:00', end: '18:00' } }))],
    ['calling hours start == end', 'schedule.calling_hours.end', json(schedule({ calling_hours: { start: '09:00', end: '09:00' } }))],
    ['an unknown JSON time zone', 'schedule.timezone', json(schedule({ timezone: 'Mars/Olympus_Mons' }))],
    ['an unknown JSON field', 'priority', json(withAudio({ priority: 'high' }))],
    ['an unknown field inside schedule', 'schedule.tz', json(schedule({ tz: 'UTC' }))],
    ['multipart concurrent_limit 0', 'concurrent_limit', () => multipart({ ...ZENSCALL_FIELDS, concurrent_limit: '0' })],
    ['multipart concurrent_limit 5000', 'concurrent_limit', () => multipart({ ...ZENSCALL_FIELDS, concurrent_limit: '5000' })],
    ['multipart max_retries 99', 'max_retries', () => multipart({ ...ZENSCALL_FIELDS, max_retries: '99' })],
    ['multipart max_retries "three"', 'max_retries', () => multipart({ ...ZENSCALL_FIELDS, max_retries: 'three' })],
    ['an unknown multipart time zone', 'timezone', () => multipart({ ...ZENSCALL_FIELDS, timezone: 'Asia/Atlantis' })],
    ['an unknown multipart field', 'priority', () => multipart({ ...ZENSCALL_FIELDS, priority: 'high' })],
    ['a multipart create without a name', 'name', () => multipart({ audio_id: ZENSCALL_FIELDS.audio_id })],
    ['a multipart create without csv_file', 'csv_file', () => multipart(ZENSCALL_FIELDS, null)],
  ])('%s: 422 naming %s', async (_name, field, send) => {
    const res = await send();
    expect(refused(res, 422, 'VALIDATION_ERROR')).toContain(field);
    expect(campaigns.created).toHaveLength(0);
  });

  it.each([
    ['just over the limit (refused while streaming)', MAX_CSV + 1],
    ['declared far over the limit (refused before reading)', 200 * 1024],
  ])('a CSV %s: 413 PAYLOAD_TOO_LARGE', async (_name, size) => {
    const big = Buffer.concat([Buffer.from('phone\n'), Buffer.alloc(size, '1')]);
    const res = await multipart(ZENSCALL_FIELDS, big);
    refused(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(res.body.error.details).toEqual({ max_bytes: MAX_CSV });
    expect(campaigns.created).toHaveLength(0);
  });

  it('a body that is neither JSON nor multipart: 415', async () => {
    const res = await post('/api/v1/campaigns').set('Content-Type', 'text/csv').send('phone\n03001234567\n');
    refused(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(campaigns.created).toHaveLength(0);
  });

  it('malformed JSON: 400', async () => {
    const res = await post('/api/v1/campaigns').set('Content-Type', 'application/json').send('{"name": "Q1",');
    refused(res, 400, 'INVALID_JSON');
    expect(campaigns.created).toHaveLength(0);
  });

  it('no body at all: 422 naming every required field', async () => {
    const res = await post('/api/v1/campaigns');
    expect(refused(res, 422, 'VALIDATION_ERROR').sort()).toEqual(['audio_id', 'contact_list_id', 'name']);
    expect(campaigns.created).toHaveLength(0);
  });
});

describe('GET /api/v1/campaigns and /:id', () => {
  it('renders a campaign whole: settings, timestamps and statistics, money as minor units + currency + text', async () => {
    const campaign = seedCampaign(TENANT_A, {
      status: 'paused',
      pauseReason: 'insufficient_balance',
      pausedAt: '2026-03-25T12:00:00.000Z',
      statistics: {
        totals: {
          contacts: 10,
          pending: 1,
          inProgress: 2,
          retryScheduled: 1,
          completed: 3,
          busy: 1,
          noAnswer: 1,
          failed: 0,
          skipped: { total: 1, byReason: { invalid_number: 1, dnc: 0, duplicate: 0, unpriced_destination: 0 } },
        },
        attempts: 9,
        answerRate: 0.5,
        averageBillableSeconds: 42.5,
        spent: { amountMinor: 12345, currency: 'PKR' },
        inFlight: 2,
        eta: '2026-03-25T13:00:00.000Z',
      },
    });
    const res = await get(`/api/v1/campaigns/${campaign.campaignId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: campaign.campaignId,
      name: 'Q1 Sales Outreach',
      status: 'paused',
      pause_reason: 'insufficient_balance',
      audio_id: '550e8400-e29b-41d4-a716-446655440000',
      caller_id: null,
      contact_list_id: 'list_xyz789',
      import_id: null,
      concurrent_limit: 20,
      max_attempts: 3,
      max_retries: 2,
      retry_delay_minutes: 60,
      retry_on: ['busy', 'no_answer', 'congestion', 'failed'],
      max_duration_seconds: null,
      calls_per_second: null,
      opt_out_digit: null,
      schedule: {
        start_date: '2026-03-25T00:00:00.000Z',
        calling_hours: { start: '09:00', end: '18:00' },
        timezone: 'Europe/London',
        days: campaign.settings.schedule.days,
      },
      mode: 'live',
      created_at: campaign.createdAt,
      scheduled_for: null,
      started_at: campaign.startedAt,
      paused_at: '2026-03-25T12:00:00.000Z',
      completed_at: null,
      cancelled_at: null,
      statistics: {
        totals: {
          contacts: 10,
          pending: 1,
          in_progress: 2,
          retry_scheduled: 1,
          completed: 3,
          busy: 1,
          no_answer: 1,
          failed: 0,
          skipped: { total: 1, by_reason: { invalid_number: 1, dnc: 0, duplicate: 0, unpriced_destination: 0 } },
        },
        attempts: 9,
        answer_rate: 0.5,
        average_billable_seconds: 42.5,
        spent: { amount_minor: 12345, currency: 'PKR', formatted: expect.stringContaining('123.45') },
        in_flight: 2,
        eta: '2026-03-25T13:00:00.000Z',
      },
    });
  });

  it('answers 404 CAMPAIGN_NOT_FOUND for an unknown id and for another tenant’s', async () => {
    const foreign = seedCampaign(TENANT_B);
    for (const id of ['no-such-campaign', foreign.campaignId]) {
      refused(await get(`/api/v1/campaigns/${id}`), 404, 'CAMPAIGN_NOT_FOUND');
      refused(await get(`/api/v1/campaigns/${id}/contacts`), 404, 'CAMPAIGN_NOT_FOUND');
      refused(await post(`/api/v1/campaigns/${id}/start`), 404, 'CAMPAIGN_NOT_FOUND');
    }
    expect((await request(app).get(`/api/v1/campaigns/${foreign.campaignId}`).set('Authorization', `Bearer ${TOKEN_B}`)).status).toBe(200);
  });

  it('lists the tenant’s campaigns a page at a time, filtered by status', async () => {
    for (let i = 0; i < 5; i++) seedCampaign(TENANT_A, { status: i < 3 ? 'running' : 'draft' });
    seedCampaign(TENANT_B);

    const page = await get('/api/v1/campaigns?page=2&limit=2');
    expect(page.status).toBe(200);
    expect(campaigns.listed.at(-1)).toEqual({ tenantId: TENANT_A, query: { page: 2, perPage: 2 } });
    expect(page.body.data).toHaveLength(2);
    expect(page.body.pagination).toEqual({ page: 2, per_page: 2, total: 5, total_pages: 3 });

    const running = await get('/api/v1/campaigns?status=RUNNING&per_page=10');
    expect(campaigns.listed.at(-1)?.query).toEqual({ page: 1, perPage: 10, status: 'running' });
    expect(running.body.data.map((c: { status: string }) => c.status)).toEqual(['running', 'running', 'running']);

    expect(refused(await get('/api/v1/campaigns?status=finished'), 422, 'VALIDATION_ERROR')).toEqual(['status']);
    expect(refused(await get('/api/v1/campaigns?limit=500'), 422, 'VALIDATION_ERROR')).toEqual(['limit']);
    expect(refused(await get('/api/v1/campaigns?page=0'), 422, 'VALIDATION_ERROR')).toEqual(['page']);
  });
});

describe('GET /api/v1/campaigns/:id/contacts', () => {
  const contact = (n: number, state: CampaignContactRecord['state'], patch: Partial<CampaignContactRecord> = {}): CampaignContactRecord => ({
    contactId: `contact-${n}`,
    phone: `+92300000000${n}`,
    state,
    skipReason: null,
    outcome: null,
    retryAt: null,
    attempts: [],
    ...patch,
  });

  it('translates the snake_case state to the bucket, and shows each attempt with its call id', async () => {
    const campaign = seedCampaign();
    campaigns.enroll(campaign.campaignId, [
      contact(1, 'noAnswer', {
        outcome: 'NO_ANSWER',
        attempts: [
          { attempt: 1, callId: 'call-1', startedAt: '2026-03-25T09:00:00.000Z', outcome: 'NO_ANSWER', billableSeconds: 0, endedAt: '2026-03-25T09:00:30.000Z', cost: null },
          { attempt: 2, callId: 'call-2', startedAt: '2026-03-25T10:00:00.000Z', outcome: 'NO_ANSWER', billableSeconds: 0, endedAt: '2026-03-25T10:00:30.000Z', cost: { amountMinor: 0, currency: 'PKR' } },
        ],
      }),
      contact(2, 'inProgress', { attempts: [{ attempt: 1, callId: 'call-3', startedAt: '2026-03-25T09:01:00.000Z', outcome: null, billableSeconds: null, endedAt: null, cost: null }] }),
      contact(3, 'retryScheduled', { retryAt: '2026-03-25T11:00:00.000Z' }),
      contact(4, 'skipped', { skipReason: 'invalid_number' }),
    ]);

    const res = await get(`/api/v1/campaigns/${campaign.campaignId}/contacts?state=no_answer`);
    expect(res.status).toBe(200);
    expect(campaigns.contactQueries.at(-1)).toEqual({ tenantId: TENANT_A, campaignId: campaign.campaignId, query: { page: 1, perPage: 25, state: 'noAnswer' } });
    expect(res.body).toEqual({
      data: [
        {
          contact_id: 'contact-1',
          phone: '+923000000001',
          state: 'no_answer',
          skip_reason: null,
          outcome: 'no_answer',
          retry_at: null,
          attempts: [
            { call_id: 'call-1', attempt: 1, started_at: '2026-03-25T09:00:00.000Z', outcome: 'no_answer', billable_seconds: 0, ended_at: '2026-03-25T09:00:30.000Z', cost: null },
            {
              call_id: 'call-2',
              attempt: 2,
              started_at: '2026-03-25T10:00:00.000Z',
              outcome: 'no_answer',
              billable_seconds: 0,
              ended_at: '2026-03-25T10:00:30.000Z',
              cost: { amount_minor: 0, currency: 'PKR', formatted: expect.any(String) },
            },
          ],
        },
      ],
      pagination: { page: 1, per_page: 25, total: 1, total_pages: 1 },
    });

    for (const [state, bucket] of [
      ['pending', 'pending'],
      ['in_progress', 'inProgress'],
      ['retry_scheduled', 'retryScheduled'],
      ['completed', 'completed'],
      ['busy', 'busy'],
      ['failed', 'failed'],
      ['skipped', 'skipped'],
    ]) {
      const answer = await get(`/api/v1/campaigns/${campaign.campaignId}/contacts?state=${state}`);
      expect(answer.status).toBe(200);
      expect(campaigns.contactQueries.at(-1)?.query.state).toBe(bucket);
      for (const row of answer.body.data) expect(row.state).toBe(state);
    }
    const skipped = await get(`/api/v1/campaigns/${campaign.campaignId}/contacts?state=skipped`);
    expect(skipped.body.data[0]).toMatchObject({ contact_id: 'contact-4', skip_reason: 'invalid_number' });

    const all = await get(`/api/v1/campaigns/${campaign.campaignId}/contacts?page=2&limit=3`);
    expect(campaigns.contactQueries.at(-1)?.query).toEqual({ page: 2, perPage: 3 });
    expect(all.body.pagination).toEqual({ page: 2, per_page: 3, total: 4, total_pages: 2 });
    expect(all.body.data.map((row: { contact_id: string }) => row.contact_id)).toEqual(['contact-4']);
  });

  it('refuses an unknown state by name, including the camelCase bucket names', async () => {
    const campaign = seedCampaign();
    for (const state of ['noAnswer', 'answered']) {
      expect(refused(await get(`/api/v1/campaigns/${campaign.campaignId}/contacts?state=${state}`), 422, 'VALIDATION_ERROR')).toEqual(['state']);
    }
  });
});

describe('the lifecycle routes', () => {
  it.each([
    ['start', 'draft', 'running'],
    ['pause', 'running', 'paused'],
    ['resume', 'paused', 'running'],
    ['cancel', 'running', 'cancelled'],
  ] as const)('POST /:id/%s is the %s transition: 200 with the campaign', async (action, from, to) => {
    const campaign = seedCampaign(TENANT_A, { status: from });
    const res = await post(`/api/v1/campaigns/${campaign.campaignId}/${action}`).set('X-Correlation-Id', `corr-${action}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: campaign.campaignId, status: to });
    expect(campaigns.transitions).toHaveLength(1);
    const [call] = campaigns.transitions;
    expect(call).toMatchObject({ campaignId: campaign.campaignId, action, ctx: { correlationId: `corr-${action}`, principal: { tenantId: TENANT_A } } });
  });

  it('answers 409 for a transition the status forbids, and 405 for another method', async () => {
    const campaign = seedCampaign(TENANT_A, { status: 'cancelled' });
    refused(await post(`/api/v1/campaigns/${campaign.campaignId}/resume`), 409, 'INVALID_STATE_TRANSITION');
    const wrongMethod = await get(`/api/v1/campaigns/${campaign.campaignId}/start`);
    refused(wrongMethod, 405, 'METHOD_NOT_ALLOWED');
    expect(wrongMethod.headers['allow']).toBe('POST');
    refused(await post(`/api/v1/campaigns/${campaign.campaignId}/restart`), 404, 'NOT_FOUND');
  });
});

describe('without campaigns wired', () => {
  it('answers 404 on every campaign route, and still asks for a key first', async () => {
    const bare = createApp(fakes.deps);
    refused(await request(bare).get('/api/v1/campaigns').set('Authorization', bearer), 404, 'NOT_FOUND');
    refused(await request(bare).post('/api/v1/campaigns').set('Authorization', bearer).send(outboundCallsWithAudio()), 404, 'NOT_FOUND');
    expect((await request(app).get('/api/v1/campaigns')).status).toBe(401);
  });
});
