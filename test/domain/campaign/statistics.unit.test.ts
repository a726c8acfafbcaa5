import { describe, expect, it } from 'vitest';
import { callIdForAttempt, campaignStatistics, estimateFinish, type CampaignCommand, type ExistingCampaign } from '../../../src/domain/campaign/index.ts';
import { claim, contact, create, ended, enroll, lifecycle, run, settingsWith } from './fixtures.ts';

const t0 = '2026-03-02T05:00:00.000Z'; // 10:00 in Karachi
const plus = (seconds: number) => new Date(Date.parse(t0) + seconds * 1000).toISOString();
const id = (contactId: string, attempt: number) => callIdForAttempt('camp-1', contactId, attempt);
const charge = (contactId: string, attempt: number, amountMinor: number): CampaignCommand => ({
  type: 'RecordAttemptCharged',
  data: { campaignId: 'camp-1', contactId, attempt, callId: id(contactId, attempt), cost: { amountMinor, currency: 'PKR' } },
});

describe('campaign statistics', () => {
  it('given a mix of outcomes, counts each contact once, attempts, answer rate, billable time and money', () => {
    const settings = settingsWith({ concurrentLimit: 10, maxAttempts: 2, retryDelayMinutes: 60 });
    const contacts = [contact(1), contact(2), contact(3), contact(4), contact(5), contact(6, { phone: 'nope' }), contact(7)];
    const { state } = run([
      create(t0, settings, true),
      enroll(0, contacts, t0),
      lifecycle('CloseEnrollment', t0),
      claim(t0, 4), // c1..c4 in flight; c5, c7 pending
      ended('c1', 1, id('c1', 1), 'COMPLETED', plus(40), 30),
      charge('c1', 1, 250),
      ended('c2', 1, id('c2', 1), 'BUSY', plus(20)), // retry scheduled
      ended('c3', 1, id('c3', 1), 'REJECTED', plus(20)), // failed, final
    ]);
    const stats = campaignStatistics(state as ExistingCampaign, { now: new Date(plus(60)), currency: 'PKR' });
    expect(stats.totals).toEqual({
      contacts: 7,
      pending: 2,
      inProgress: 1,
      retryScheduled: 1,
      completed: 1,
      busy: 0,
      noAnswer: 0,
      failed: 1,
      skipped: { total: 1, byReason: { invalid_number: 1, dnc: 0, duplicate: 0, unpriced_destination: 0 } },
    });
    expect(stats.attempts).toBe(4);
    expect(stats.answerRate).toBeCloseTo(1 / 3);
    expect(stats.averageBillableSeconds).toBe(30);
    expect(stats.spent).toEqual({ amountMinor: 250, currency: 'PKR' });
    expect(stats.inFlight).toBe(1);
    expect(stats.eta).not.toBeNull();
  });

  it('a busy contact whose last attempt was busy counts as busy', () => {
    const settings = settingsWith({ maxAttempts: 1 });
    const { state } = run([create(t0, settings, true), enroll(0, [contact(1), contact(2)], t0), claim(t0), ended('c1', 1, id('c1', 1), 'BUSY', plus(5))]);
    const stats = campaignStatistics(state as ExistingCampaign, { now: new Date(t0), currency: 'PKR' });
    expect(stats.totals.busy).toBe(1);
    expect(stats.answerRate).toBe(0);
    expect(stats.averageBillableSeconds).toBeNull();
  });

  describe('the ETA', () => {
    it('is remaining attempts × mean attempt length / concurrent limit, when the window is always open', () => {
      const { state } = run([create(t0, settingsWith({ concurrentLimit: 10 }), true), enroll(0, Array.from({ length: 100 }, (_, i) => contact(i + 1)), t0)]);
      // 100 attempts × 30 s / 10 lines = 300 s.
      expect(estimateFinish(state, new Date(t0), 30, 100)).toBe(plus(300));
    });

    it('only counts time inside the calling window in the campaign’s zone', () => {
      const settings = settingsWith({ concurrentLimit: 1, schedule: { callingHours: { start: '09:00', end: '18:00' } } });
      const { state } = run([create(t0, settings, true)]);
      // 10 hours of work from 10:00 local: 8 hours today (to 18:00), 2 more from 09:00 tomorrow → 11:00 local = 06:00Z.
      expect(estimateFinish(state, new Date(t0), 3600, 10)).toBe('2026-03-03T06:00:00.000Z');
    });

    it('is null for a finished campaign', () => {
      const { state } = run([create(t0, settingsWith(), true), lifecycle('CloseEnrollment', t0)]);
      expect(state.status).toBe('Completed');
      expect(estimateFinish(state, new Date(t0), 30, 5)).toBeNull();
    });
  });
});
