import { describe, expect, it } from 'vitest';
import { callIdForAttempt, evolveCampaign, type CampaignCommand } from '../../../src/domain/campaign/index.ts';
import { claim, claimsIn, contact, create, ended, enroll, given, lifecycle, settingsWith, types } from './fixtures.ts';

const t0 = '2026-03-02T10:00:00.000Z';
const later = '2026-03-02T11:00:00.000Z';
const future = '2026-03-25T00:00:00.000Z';

/** Each status, reached the way a real campaign reaches it. */
const statuses: Record<string, CampaignCommand[]> = {
  Draft: [create(t0)],
  Scheduled: [create(t0, settingsWith({ schedule: { startAt: future } }), true)],
  Running: [create(t0, settingsWith(), true)],
  Paused: [create(t0, settingsWith(), true), lifecycle('PauseCampaign', t0)],
  'Paused(balance)': [create(t0, settingsWith(), true), lifecycle('PauseCampaignForBalance', t0)],
  Completed: [create(t0, settingsWith(), true), lifecycle('CloseEnrollment', t0)],
  Cancelled: [create(t0, settingsWith(), true), lifecycle('CancelCampaign', t0)],
};

const REFUSED = 'INVALID_STATE_TRANSITION';
/** status → command → the event types decided, or the error code. */
const table: Record<string, Record<string, string[] | string>> = {
  Draft: { StartCampaign: ['CampaignStarted'], PauseCampaign: REFUSED, PauseCampaignForBalance: [], ResumeCampaign: REFUSED, CancelCampaign: ['CampaignCancelled'], CompleteCampaign: REFUSED },
  Scheduled: { StartCampaign: ['CampaignStarted'], PauseCampaign: REFUSED, PauseCampaignForBalance: [], ResumeCampaign: REFUSED, CancelCampaign: ['CampaignCancelled'], CompleteCampaign: REFUSED },
  Running: { StartCampaign: [], PauseCampaign: ['CampaignPaused'], PauseCampaignForBalance: ['CampaignPaused'], ResumeCampaign: [], CancelCampaign: ['CampaignCancelled'], CompleteCampaign: REFUSED },
  Paused: { StartCampaign: REFUSED, PauseCampaign: [], PauseCampaignForBalance: [], ResumeCampaign: ['CampaignResumed'], CancelCampaign: ['CampaignCancelled'], CompleteCampaign: REFUSED },
  'Paused(balance)': { StartCampaign: REFUSED, PauseCampaign: [], PauseCampaignForBalance: [], ResumeCampaign: ['CampaignResumed'], CancelCampaign: ['CampaignCancelled'], CompleteCampaign: REFUSED },
  Completed: { StartCampaign: REFUSED, PauseCampaign: REFUSED, PauseCampaignForBalance: [], ResumeCampaign: REFUSED, CancelCampaign: REFUSED, CompleteCampaign: [] },
  Cancelled: { StartCampaign: REFUSED, PauseCampaign: REFUSED, PauseCampaignForBalance: [], ResumeCampaign: REFUSED, CancelCampaign: [], CompleteCampaign: REFUSED },
};

describe('the campaign decider: lifecycle', () => {
  for (const [status, commands] of Object.entries(table)) {
    for (const [command, expected] of Object.entries(commands)) {
      it(`given ${status}, when ${command}, then ${Array.isArray(expected) ? JSON.stringify(expected) : expected}`, () => {
        const { state, when } = given(...statuses[status]!);
        expect(state.status).toBe(status.replace('(balance)', ''));
        const result = when(lifecycle(command as 'StartCampaign', later));
        if (Array.isArray(expected)) expect(types(result.events)).toEqual(expected);
        else expect(result.code).toBe(expected);
      });
    }
  }

  it('records why it paused', () => {
    expect(given(...statuses.Paused!).state).toMatchObject({ status: 'Paused', reason: 'user' });
    expect(given(...statuses['Paused(balance)']!).state).toMatchObject({ status: 'Paused', reason: 'insufficient_balance' });
  });

  it('evolve skips event types it does not know, so old and newer streams still load', () => {
    const { state } = given(...statuses.Running!);
    expect(evolveCampaign(state, { type: 'CampaignRenamed', data: { name: 'x' } })).toBe(state);
  });

  it('a command before creation answers CAMPAIGN_NOT_FOUND', () => {
    expect(given().when(lifecycle('StartCampaign', t0)).code).toBe('CAMPAIGN_NOT_FOUND');
  });

  it('an identical create again is a no-op; a different one under the same id is refused', () => {
    expect(given(create(t0)).when(create(t0)).events).toEqual([]);
    expect(given(create(t0)).when(create(t0, settingsWith({ name: 'Other' }))).code).toBe('CAMPAIGN_ALREADY_EXISTS');
  });

  it('refuses settings out of range, naming the field', () => {
    const result = given().when(create(t0, settingsWith({ concurrentLimit: 0 })));
    expect(result.code).toBe('VALIDATION_ERROR');
  });
});

describe('the campaign decider: starting on a schedule', () => {
  const scheduled = statuses.Scheduled!;

  it('given a start date ahead, when created to start, then it is scheduled, not started', () => {
    const { events } = given().when(scheduled[0]!);
    expect(types(events)).toEqual(['CampaignCreated', 'CampaignScheduled']);
  });

  it('given a draft with a start date ahead, when a person starts it, then it is scheduled for that date', () => {
    const { events, state } = given(create(t0, settingsWith({ schedule: { startAt: future } }))).when(lifecycle('StartCampaign', t0));
    expect(events).toEqual([{ type: 'CampaignScheduled', data: { campaignId: 'camp-1', startAt: future, at: t0 } }]);
    expect(state).toMatchObject({ status: 'Scheduled', startAt: future });
  });

  it('given a start date that has passed, when started, then it starts at once', () => {
    const { events } = given(create(t0, settingsWith({ schedule: { startAt: '2026-03-01T00:00:00.000Z' } }))).when(lifecycle('StartCampaign', t0));
    expect(events).toEqual([{ type: 'CampaignStarted', data: { campaignId: 'camp-1', trigger: 'user', at: t0 } }]);
  });

  it('the timer starts it at its start date, refuses to start it early, and is a no-op once it runs', () => {
    expect(given(...scheduled).when(lifecycle('StartScheduledCampaign', '2026-03-24T23:59:59.000Z')).code).toBe('INVALID_STATE_TRANSITION');
    const { events } = given(...scheduled).when(lifecycle('StartScheduledCampaign', future));
    expect(events).toEqual([{ type: 'CampaignStarted', data: { campaignId: 'camp-1', trigger: 'schedule', at: future } }]);
    expect(given(...scheduled, lifecycle('StartScheduledCampaign', future)).when(lifecycle('StartScheduledCampaign', future)).events).toEqual([]);
  });
});

describe('the campaign decider: contacts and attempts', () => {
  const running = [create(t0, settingsWith(), true)];

  it('skips invalid numbers, numbers already enrolled and contacts marked do-not-call, with the reason', () => {
    const { events } = given(...running, enroll(0, [contact(1)], t0)).when(
      enroll(1, [contact(2, { phone: '0300-BAD' }), contact(3, { phone: contact(1).phone }), contact(4, { skip: 'dnc' }), contact(5)], t0),
    );
    expect(events[0]).toMatchObject({
      type: 'CampaignContactsEnrolled',
      data: {
        contacts: [expect.objectContaining({ contactId: 'c5' })],
        skipped: [
          { contactId: 'c2', phone: '0300-BAD', reason: 'invalid_number' },
          { contactId: 'c3', phone: contact(1).phone, reason: 'duplicate' },
          { contactId: 'c4', phone: contact(4).phone, reason: 'dnc' },
        ],
      },
    });
  });

  it('refuses a contact whose zone is not a time zone, as invalid input', () => {
    expect(given(...running).when(enroll(0, [contact(1, { zones: ['Mars/Olympus'] })], t0)).code).toBe('VALIDATION_ERROR');
  });

  it('a claim with no sensible maximum claims nothing', () => {
    expect(given(...running, enroll(0, [contact(1)], t0)).when(claim(t0, Number.NaN)).events).toEqual([]);
  });

  it('a chunk sent again is a no-op; a chunk out of order is refused', () => {
    const base = [...running, enroll(0, [contact(1)], t0)];
    expect(given(...base).when(enroll(0, [contact(1)], t0)).events).toEqual([]);
    expect(given(...base).when(enroll(2, [contact(2)], t0)).code).toBe('INVALID_STATE_TRANSITION');
    expect(given(...base, lifecycle('CloseEnrollment', t0)).when(enroll(1, [contact(2)], t0)).code).toBe('INVALID_STATE_TRANSITION');
  });

  it('claims no more attempts than the concurrent limit, each with the derived call id', () => {
    const { events, state } = given(...running, enroll(0, [contact(1), contact(2), contact(3)], t0)).when(claim(t0));
    expect(claimsIn(events)).toEqual([
      { campaignId: 'camp-1', contactId: 'c1', attempt: 1, callId: callIdForAttempt('camp-1', 'c1', 1), at: t0 },
      { campaignId: 'camp-1', contactId: 'c2', attempt: 1, callId: callIdForAttempt('camp-1', 'c2', 1), at: t0 },
    ]);
    expect(state.roster.inFlight).toBe(2);
    expect(given(...running, enroll(0, [contact(1), contact(2), contact(3)], t0), claim(t0)).when(claim(t0)).events).toEqual([]);
  });

  it('a paused or draft campaign claims nothing', () => {
    expect(given(create(t0), enroll(0, [contact(1)], t0)).when(claim(t0)).events).toEqual([]);
    expect(given(...running, enroll(0, [contact(1)], t0), lifecycle('PauseCampaign', t0)).when(claim(t0)).events).toEqual([]);
  });

  it('an attempt end is recorded once; a redelivered end is a no-op; a wrong call id is refused', () => {
    const callId = callIdForAttempt('camp-1', 'c1', 1);
    const base = [...running, enroll(0, [contact(1), contact(2)], t0), claim(t0)];
    const end = ended('c1', 1, callId, 'COMPLETED', later, 42);
    expect(types(given(...base).when(end).events)).toEqual(['ContactAttemptEnded', 'ContactCompleted']);
    expect(given(...base, end).when(end).events).toEqual([]);
    expect(given(...base).when(ended('c1', 1, callIdForAttempt('camp-1', 'c1', 2), 'COMPLETED', later)).code).toBe('ATTEMPT_MISMATCH');
    expect(given(...base).when(ended('nobody', 1, callId, 'COMPLETED', later)).code).toBe('CAMPAIGN_CONTACT_NOT_FOUND');
  });

  it('completes by itself when the last contact gets its final outcome', () => {
    const c1 = callIdForAttempt('camp-1', 'c1', 1);
    const base = [...running, enroll(0, [contact(1), contact(2, { skip: 'dnc' })], t0), lifecycle('CloseEnrollment', t0), claim(t0)];
    const { events, state } = given(...base).when(ended('c1', 1, c1, 'REJECTED', later));
    expect(types(events)).toEqual(['ContactAttemptEnded', 'ContactCompleted', 'CampaignCompleted']);
    expect(state.status).toBe('Completed');
  });

  it('does not complete while enrollment is open, however many contacts are final', () => {
    const base = [...running, enroll(0, [contact(1)], t0), claim(t0)];
    const { events } = given(...base).when(ended('c1', 1, callIdForAttempt('camp-1', 'c1', 1), 'COMPLETED', later));
    expect(types(events)).not.toContain('CampaignCompleted');
  });

  it('a cancelled campaign records the ends of calls still in flight but schedules no retry', () => {
    const base = [...running, enroll(0, [contact(1)], t0), claim(t0), lifecycle('CancelCampaign', t0)];
    const { events } = given(...base).when(ended('c1', 1, callIdForAttempt('camp-1', 'c1', 1), 'BUSY', later));
    expect(types(events)).toEqual(['ContactAttemptEnded', 'ContactCompleted']);
  });

  it('records what an attempt cost once; the same charge again is a no-op, a different one refused', () => {
    const callId = callIdForAttempt('camp-1', 'c1', 1);
    const base = [...running, enroll(0, [contact(1)], t0), claim(t0), ended('c1', 1, callId, 'COMPLETED', later, 30)];
    const charge = (amountMinor: number): CampaignCommand => ({
      type: 'RecordAttemptCharged',
      data: { campaignId: 'camp-1', contactId: 'c1', attempt: 1, callId, cost: { amountMinor, currency: 'PKR' } },
    });
    expect(types(given(...base).when(charge(250)).events)).toEqual(['ContactAttemptCharged']);
    expect(given(...base, charge(250)).when(charge(250)).events).toEqual([]);
    expect(given(...base, charge(250)).when(charge(300)).code).toBe('ATTEMPT_ALREADY_CHARGED');
  });
});
