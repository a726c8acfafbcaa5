import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callStream } from '../../../src/domain/shared/streams.ts';
import { testDatabases } from '../../support/databases.ts';
import { poll } from '../../support/poll.ts';
import { startTestEngine, type RunningEngine } from '../support/engine.ts';
import { allEvents, bearer, CAMPAIGN_ENV, campaignContacts, campaignEvents, getCampaign, uploadReadyAudio, waitForStatus } from './support.ts';

/**
 * ZensCall's "Create a Campaign" example, field for field, run to the end on the simulator: one
 * number per outcome the simulator knows (docs/ari-simulator.md), plus a row the import refuses as
 * invalid and one it refuses as a duplicate.
 */

const ANSWERED = '+923001110001';
const BUSY = '+923001110486';
const NO_ANSWER = '+923001110408';
const UNALLOCATED = '+923001110404';
const REJECTED = '+923001110603';
const CONGESTION = '+923001110503';

// Line numbers count the header as line 1.
const CSV = [
  'phone_number,name',
  `${ANSWERED},Answers`,
  `${BUSY},Busy`,
  `${NO_ANSWER},Rings out`,
  `${UNALLOCATED},Unallocated`,
  `${REJECTED},Rejects`,
  `${CONGESTION},Congested`,
  '12345,Not a number', // line 8: invalid
  '03001110486,Busy again', // line 9: the busy number in national form, a duplicate
].join('\n');

/** max_retries=3: ZensCall counts retries after the first call, so 4 attempts. */
const ATTEMPTS = 4;

for (const backend of testDatabases()) {
  describe(`ZensCall campaign upload on ${backend.name}`, () => {
    let running: RunningEngine;
    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), { env: CAMPAIGN_ENV });
    });
    afterAll(async () => running?.close());

    it('runs the documented multipart example to completion, every outcome accounted for', async () => {
      const app = running.engine.app;
      const auth = bearer(running.apiKey);
      // The example's audio_id cannot exist here: upload one first.
      const audioId = await uploadReadyAudio(running);

      const created = await request(app)
        .post('/api/v1/campaigns')
        .set(auth)
        .field('name', 'March Promotion')
        .field('audio_id', audioId)
        .attach('csv_file', Buffer.from(CSV), 'phone_numbers.csv')
        .field('max_retries', '3')
        .field('concurrent_limit', '10')
        // Not in the example: its default retry delay is 30 minutes, which a real-time test cannot
        // wait out. The delays themselves are covered with a fake clock elsewhere.
        .field('retry_delay_minutes', '0');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id: string = created.body.id;
      expect(created.headers.location).toBe(`/api/v1/campaigns/${id}`);
      expect(created.body).toMatchObject({
        name: 'March Promotion',
        audio_id: audioId,
        max_retries: 3,
        max_attempts: ATTEMPTS,
        concurrent_limit: 10,
        retry_delay_minutes: 0,
      });
      expect(['running', 'completed']).toContain(created.body.status);
      expect(created.body.import).toMatchObject({ imported: 6, rejected: 2 });
      expect(created.body.import.errors).toEqual([
        expect.objectContaining({ line: 8, phone: '12345', reason: 'invalid_number' }),
        expect.objectContaining({ line: 9, phone: '03001110486', reason: 'duplicate_in_file' }),
      ]);

      await waitForStatus(running, id, 'completed', 50_000);
      // Billing charges a call after it ends, so the campaign may complete a moment before the charge
      // of its last answered call is recorded on it.
      const done = await poll('the answered call charged', async () => {
        const campaign = await getCampaign(running, id);
        return campaign.statistics.spent.amount_minor > 0 ? campaign : null;
      });
      expect(done.status).toBe('completed');
      expect(done.completed_at).not.toBeNull();

      const contacts = await campaignContacts(running, id);
      const byPhone = new Map(contacts.map((contact) => [contact.phone, contact]));
      expect([...byPhone.keys()].sort()).toEqual([ANSWERED, BUSY, NO_ANSWER, UNALLOCATED, REJECTED, CONGESTION].sort());
      const expected = {
        [ANSWERED]: { state: 'completed', outcome: 'completed', attempts: 1 },
        [BUSY]: { state: 'busy', outcome: 'busy', attempts: ATTEMPTS },
        [NO_ANSWER]: { state: 'no_answer', outcome: 'no_answer', attempts: ATTEMPTS },
        // CONGESTION is in DEFAULT_RETRY_ON; it ends in the `failed` bucket, under its own outcome.
        [CONGESTION]: { state: 'failed', outcome: 'congestion', attempts: ATTEMPTS },
        // Cause 1 is INVALID_NUMBER and cause 21 REJECTED: neither is retried by default.
        [UNALLOCATED]: { state: 'failed', outcome: 'invalid_number', attempts: 1 },
        [REJECTED]: { state: 'failed', outcome: 'rejected', attempts: 1 },
      };
      for (const [phone, want] of Object.entries(expected)) {
        const contact = byPhone.get(phone);
        expect({ phone, state: contact.state, outcome: contact.outcome, attempts: contact.attempts.length }).toEqual({
          phone,
          state: want.state,
          outcome: want.outcome,
          attempts: want.attempts,
        });
        expect(contact.attempts.map((a: any) => a.attempt)).toEqual(Array.from({ length: want.attempts }, (_, i) => i + 1));
        for (const attempt of contact.attempts) {
          expect(attempt.outcome).toBe(want.outcome);
          expect(attempt.ended_at).not.toBeNull();
        }
        expect(contact.retry_at).toBeNull();
      }
      const answered = byPhone.get(ANSWERED).attempts[0];
      expect(answered.billable_seconds).toBeGreaterThan(0);
      expect(answered.cost.amount_minor).toBeGreaterThan(0);

      // Statistics.
      const balance = await request(app).get('/api/v1/balance').set(auth);
      expect(balance.status).toBe(200);
      const currency = balance.body.currency;
      expect(currency).toBe('PKR');
      const stats = done.statistics;
      expect(stats.totals).toEqual({
        contacts: 6,
        pending: 0,
        in_progress: 0,
        retry_scheduled: 0,
        completed: 1,
        busy: 1,
        no_answer: 1,
        failed: 3,
        skipped: { total: 0, by_reason: { invalid_number: 0, dnc: 0, duplicate: 0, unpriced_destination: 0 } },
      });
      const totalAttempts = 1 + 3 * ATTEMPTS + 2;
      expect(stats.attempts).toBe(totalAttempts);
      expect(stats.answer_rate).toBeCloseTo(1 / totalAttempts, 6);
      expect(stats.average_billable_seconds).toBe(answered.billable_seconds);
      expect(stats.spent.currency).toBe(currency);
      expect(stats.spent).toEqual(answered.cost);
      expect(stats.in_flight).toBe(0);
      expect(stats.eta).toBeNull();

      // Each attempt is a real call of the campaign's, requested exactly once.
      const callIds = contacts.flatMap((contact) => contact.attempts.map((a: any) => a.call_id as string));
      expect(new Set(callIds).size).toBe(totalAttempts);
      for (const callId of callIds) {
        const call = await request(app).get(`/api/v1/calls/${callId}`).set(auth);
        expect(call.status, JSON.stringify(call.body)).toBe(200);
        expect(call.body.campaign_id).toBe(id);
        const stream = await running.engine.store.readStream(callStream(callId));
        expect(stream.filter((event) => event.type === 'CallRequested')).toHaveLength(1);
      }
      const requested = (await allEvents(running.engine.store)).filter((event) => event.type === 'CallRequested');
      const campaignCalls = requested.filter((event) => callIds.includes((event.data as { callId: string }).callId));
      expect(campaignCalls).toHaveLength(totalAttempts);
      expect(requested).toHaveLength(totalAttempts); // nothing else placed a call in this engine

      // The contacts' state filter.
      const busyOnly = await campaignContacts(running, id, '&state=busy');
      expect(busyOnly.map((contact) => contact.phone)).toEqual([BUSY]);
      const failedOnly = await campaignContacts(running, id, '&state=failed');
      expect(failedOnly.map((contact) => contact.phone).sort()).toEqual([CONGESTION, REJECTED, UNALLOCATED].sort());

      // The lifecycle on the campaign's stream: created, enrolled, closed, started, completed.
      const types = (await campaignEvents(running.engine.store, id)).map((event) => event.type);
      expect(types[0]).toBe('CampaignCreated');
      expect(types.filter((type) => type === 'CampaignStarted')).toHaveLength(1);
      const completedAt = types.indexOf('CampaignCompleted');
      expect(types.lastIndexOf('CampaignCompleted')).toBe(completedAt);
      // Only charges arriving after the ends may follow the completion.
      expect(types.slice(completedAt + 1).every((type) => type === 'ContactAttemptCharged')).toBe(true);
      expect(types.filter((type) => type === 'ContactAttemptStarted')).toHaveLength(totalAttempts);
    }, 60_000);
  });
}
