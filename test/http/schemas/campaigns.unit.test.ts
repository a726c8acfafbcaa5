import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { validationIssues } from '../../../src/http/errors.ts';
import { jsonCampaignBody, toCreateCampaign, zensCallCampaignFields } from '../../../src/http/schemas/campaigns.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';

const context = { campaignId: 'camp-1', tenantId: 'tenant-1', at: new Date('2026-03-02T10:00:00Z'), defaultTimezone: 'Asia/Karachi', defaultCountry: 'PK', mode: 'live' as const };

/** The issue paths a body is refused with, or [] when it is accepted. */
function refusedPaths(schema: typeof jsonCampaignBody | typeof zensCallCampaignFields, body: unknown): string[] {
  const parsed = schema.safeParse(body);
  return parsed.success ? [] : validationIssues(parsed.error as ZodError).map((issue) => issue.path);
}

const outboundCalls = {
  name: 'Q1 Sales Outreach',
  audio_id: 'audio-1',
  contact_list_id: 'list_xyz789',
  schedule: { start_date: '2026-03-25', calling_hours: { start: '09:00', end: '18:00' }, timezone: 'Europe/London' },
  retry_rules: { max_attempts: 3, delay_minutes: 60 },
  concurrent_calls: 20,
};

describe('campaign request shapes', () => {
  it('the ZensCall multipart fields, as strings, become a campaign that starts at once', () => {
    const request = zensCallCampaignFields.parse({ name: 'March Promotion', audio_id: '550e8400-e29b-41d4-a716-446655440000', max_retries: '3', concurrent_limit: '10' });
    const command = toCreateCampaign(request, { ...context, upload: { importId: 'import-1', contactListId: 'list-1' } });
    expect(command.data.autoStart).toBe(true);
    expect(command.data.settings).toMatchObject({
      name: 'March Promotion',
      source: { kind: 'import', importId: 'import-1', contactListId: 'list-1' },
      concurrentLimit: 10,
      maxAttempts: 4,
      retryOn: ['BUSY', 'NO_ANSWER', 'CONGESTION', 'FAILED'],
      schedule: { startAt: null, callingHours: null, timezone: 'Asia/Karachi' },
    });
    expect(zensCallCampaignFields.parse({ name: 'x', audio_id: 'a', start: 'false' }).autoStart).toBe(false);
  });

  it('the OutboundCalls.ai JSON becomes the same command, scheduled for local midnight of its start date', () => {
    const command = toCreateCampaign(jsonCampaignBody.parse(outboundCalls), context);
    expect(command.data.autoStart).toBe(true);
    expect(command.data.settings).toMatchObject({
      source: { kind: 'contact_list', contactListId: 'list_xyz789' },
      concurrentLimit: 20,
      maxAttempts: 3,
      retryDelayMinutes: 60,
      schedule: { startAt: '2026-03-25T00:00:00.000Z', callingHours: { start: '09:00', end: '18:00' }, timezone: 'Europe/London' },
    });
  });

  it('takes the optional fields in either spelling', () => {
    const request = jsonCampaignBody.parse({
      ...outboundCalls,
      caller_id: '03001234567',
      retry_on: ['busy', 'no-answer'],
      max_duration_seconds: 120,
      calls_per_second: 5,
      days: ['Monday', 'fri'],
    });
    const { settings } = toCreateCampaign(request, context).data;
    expect(settings).toMatchObject({ callerId: '+923001234567', retryOn: ['BUSY', 'NO_ANSWER'], maxDurationSeconds: 120, callsPerSecond: 5, schedule: { days: ['mon', 'fri'] } });
    const zens = zensCallCampaignFields.parse({ name: 'x', audio_id: 'a', retry_on: 'busy, congestion', days: 'sat,sun', timezone: 'asia/karachi' });
    expect(zens).toMatchObject({ retryOn: ['BUSY', 'CONGESTION'], days: ['sun', 'sat'], timezone: 'Asia/Karachi' });
  });

  it('a multipart create takes calling hours and a start date as flat fields', () => {
    const zens = zensCallCampaignFields.parse({ name: 'x', audio_id: 'a', calling_hours_start: '09:00', calling_hours_end: '18:30', start_date: '2026-03-25', timezone: 'Europe/London' });
    expect(zens).toMatchObject({ callingHours: { start: '09:00', end: '18:30' }, startDate: '2026-03-25', timezone: 'Europe/London' });
    const { settings } = toCreateCampaign(zens, { ...context, upload: { importId: 'i', contactListId: 'l' } }).data;
    expect(settings.schedule).toMatchObject({ callingHours: { start: '09:00', end: '18:30' }, timezone: 'Europe/London' });
  });

  describe('refuses bad fields, naming them', () => {
    const cases: [string, typeof jsonCampaignBody | typeof zensCallCampaignFields, unknown, string[]][] = [
      ['concurrent_limit 0', zensCallCampaignFields, { name: 'x', audio_id: 'a', concurrent_limit: '0' }, ['concurrent_limit']],
      ['concurrent_limit 1001', zensCallCampaignFields, { name: 'x', audio_id: 'a', concurrent_limit: '1001' }, ['concurrent_limit']],
      ['max_retries 10 (11 attempts)', zensCallCampaignFields, { name: 'x', audio_id: 'a', max_retries: '10' }, ['max_retries']],
      ['max_retries "3.5"', zensCallCampaignFields, { name: 'x', audio_id: 'a', max_retries: '3.5' }, ['max_retries']],
      ['start "maybe"', zensCallCampaignFields, { name: 'x', audio_id: 'a', start: 'maybe' }, ['start']],
      ['calling_hours_start alone', zensCallCampaignFields, { name: 'x', audio_id: 'a', calling_hours_start: '09:00' }, ['calling_hours_end']],
      ['calling_hours_end alone', zensCallCampaignFields, { name: 'x', audio_id: 'a', calling_hours_end: '18:00' }, ['calling_hours_start']],
      ['multipart calling hours 24:30', zensCallCampaignFields, { name: 'x', audio_id: 'a', calling_hours_start: '24:30', calling_hours_end: '18:00' }, ['calling_hours_start']],
      ['multipart calling hours start = end', zensCallCampaignFields, { name: 'x', audio_id: 'a', calling_hours_start: '09:00', calling_hours_end: '09:00' }, ['calling_hours_end']],
      ['a bad multipart start date', zensCallCampaignFields, { name: 'x', audio_id: 'a', start_date: 'tomorrow' }, ['start_date']],
      ['concurrent_calls 0', jsonCampaignBody, { ...outboundCalls, concurrent_calls: 0 }, ['concurrent_calls']],
      ['max_attempts 11', jsonCampaignBody, { ...outboundCalls, retry_rules: { max_attempts: 11 } }, ['retry_rules.max_attempts']],
      ['calling hours 25:00', jsonCampaignBody, { ...outboundCalls, schedule: { calling_hours: { start: '25:00', end: '18:00' } } }, ['schedule.calling_hours.start']],
      ['calling hours start = end', jsonCampaignBody, { ...outboundCalls, schedule: { calling_hours: { start: '09:00', end: '09:00' } } }, ['schedule.calling_hours.end']],
      ['an unknown time zone', jsonCampaignBody, { ...outboundCalls, schedule: { timezone: 'Mars/Olympus' } }, ['schedule.timezone']],
      ['a bad start date', jsonCampaignBody, { ...outboundCalls, schedule: { start_date: '2026-02-30' } }, ['schedule.start_date']],
      ['an unknown day', jsonCampaignBody, { ...outboundCalls, days: ['someday'] }, ['days.0']],
      ['an unknown retry outcome', jsonCampaignBody, { ...outboundCalls, retry_on: ['maybe'] }, ['retry_on.0']],
      ['both concurrency names', jsonCampaignBody, { ...outboundCalls, concurrent_limit: 5 }, ['concurrent_limit']],
      ['an unknown field', jsonCampaignBody, { ...outboundCalls, agent_id: 'agent_abc123' }, ['agent_id']],
      ['no contact list', jsonCampaignBody, { name: 'x', audio_id: 'a' }, ['contact_list_id']],
    ];
    for (const [name, schema, body, paths] of cases) {
      it(name, () => expect(refusedPaths(schema, body)).toEqual(paths));
    }
  });

  it('a CSV request without its import, or a caller id that is not a number, is refused by the command builder', () => {
    const request = zensCallCampaignFields.parse({ name: 'x', audio_id: 'a' });
    expect(() => toCreateCampaign(request, context)).toThrow(DomainError);
    const badCaller = zensCallCampaignFields.parse({ name: 'x', audio_id: 'a', caller_id: '12' });
    expect(() => toCreateCampaign(badCaller, { ...context, upload: { importId: 'i', contactListId: 'l' } })).toThrow(/not a valid phone number/);
  });
});
