import { describe, expect, it } from 'vitest';
import {
  attemptsInFlight,
  callIdForAttempt,
  dueToStart,
  isComplete,
  nextContacts,
  nextDialableAt,
  outcomeDisposition,
  retryAt,
  type CampaignCommand,
  type CampaignState,
  type ExistingCampaign,
} from '../../../src/domain/campaign/index.ts';
import { claim, claimsIn, contact, create, ended, enroll, given, lifecycle, run, settingsWith, types } from './fixtures.ts';

const t0 = '2026-03-02T12:50:00.000Z'; // 17:50 in Karachi, a Monday
const officeHours = { start: '09:00', end: '18:00' };

/**
 * Drives the decider with a fake clock, one minute per step: calls that have lasted `callMinutes`
 * end with the outcome `outcomeOf` gives, then the dialer claims what it may. Returns every claim.
 */
function simulate(commands: CampaignCommand[], from: string, minutes: number, callMinutes: number, outcomeOf: (contactId: string, attempt: number) => 'COMPLETED' | 'BUSY') {
  let { state } = run(commands);
  const claims: { contactId: string; attempt: number; at: string }[] = [];
  const inFlight: { contactId: string; attempt: number; callId: string; at: number }[] = [];
  for (let step = 0; step <= minutes; step++) {
    const now = Date.parse(from) + step * 60_000;
    const iso = new Date(now).toISOString();
    for (const call of inFlight.filter((c) => now - c.at >= callMinutes * 60_000)) {
      inFlight.splice(inFlight.indexOf(call), 1);
      state = run([ended(call.contactId, call.attempt, call.callId, outcomeOf(call.contactId, call.attempt), iso, 10)], state).state;
    }
    const decided = run([claim(iso)], state);
    state = decided.state;
    for (const c of claimsIn(decided.events)) {
      claims.push({ contactId: c.contactId, attempt: c.attempt, at: c.at });
      inFlight.push({ ...c, at: now });
    }
  }
  return { state: state as ExistingCampaign, claims };
}

describe('the dialer’s decisions', () => {
  it('dials in enrollment order, only contacts inside their own window', () => {
    // 12:00Z: 17:00 in Karachi, 07:00 in New York.
    const { state } = given(
      create(t0, settingsWith({ concurrentLimit: 10 }), true),
      enroll(0, [contact(1, { zones: ['America/New_York'] }), contact(2), contact(3)], t0),
    );
    const withHours = { ...state, settings: settingsWith({ concurrentLimit: 10, schedule: { callingHours: officeHours } }) } as CampaignState;
    expect(nextContacts(withHours, new Date('2026-03-02T12:00:00Z'), 10).map((c) => c.contactId)).toEqual(['c2', 'c3']);
    expect(nextContacts(withHours, new Date('2026-03-02T12:00:00Z'), 1).map((c) => c.contactId)).toEqual(['c2']);
  });

  it('given a 09:00–18:00 window, a campaign started at 17:55 stops launching at 18:00 and goes on at 09:00 the next day', () => {
    const settings = settingsWith({ concurrentLimit: 1, schedule: { callingHours: officeHours } });
    const contacts = Array.from({ length: 6 }, (_, i) => contact(i + 1));
    const start = '2026-03-02T12:55:00.000Z'; // 17:55 in Karachi
    const { claims } = simulate([create(start, settings, true), enroll(0, contacts, start)], start, 16 * 60, 2, () => 'COMPLETED');
    expect(claims.map((c) => c.at)).toEqual([
      '2026-03-02T12:55:00.000Z',
      '2026-03-02T12:57:00.000Z',
      '2026-03-02T12:59:00.000Z',
      // 18:00 local: nothing more until 09:00 local the next morning (04:00Z).
      '2026-03-03T04:00:00.000Z',
      '2026-03-03T04:02:00.000Z',
      '2026-03-03T04:04:00.000Z',
    ]);
  });

  it('a US number in two zones waits for the later of them', () => {
    const settings = settingsWith({ concurrentLimit: 5, schedule: { callingHours: officeHours } });
    const start = '2026-03-03T13:00:00.000Z'; // 08:00 in New York, 07:00 in Chicago
    const { claims } = simulate(
      [create(start, settings, true), enroll(0, [contact(1, { zones: ['America/New_York'] }), contact(2, { zones: ['America/Chicago', 'America/New_York'] })], start)],
      start,
      180,
      1,
      () => 'COMPLETED',
    );
    expect(claims).toEqual([
      { contactId: 'c1', attempt: 1, at: '2026-03-03T14:00:00.000Z' },
      { contactId: 'c2', attempt: 1, at: '2026-03-03T15:00:00.000Z' },
    ]);
  });

  it('a busy number is tried max_attempts times, each delay_minutes after the last ended', () => {
    const settings = settingsWith({ concurrentLimit: 1, maxAttempts: 3, retryDelayMinutes: 30 });
    const { claims, state } = simulate([create(t0, settings, true), enroll(0, [contact(1)], t0), lifecycle('CloseEnrollment', t0)], t0, 200, 1, () => 'BUSY');
    expect(claims).toEqual([
      { contactId: 'c1', attempt: 1, at: '2026-03-02T12:50:00.000Z' },
      { contactId: 'c1', attempt: 2, at: '2026-03-02T13:21:00.000Z' },
      { contactId: 'c1', attempt: 3, at: '2026-03-02T13:52:00.000Z' },
    ]);
    expect(state.status).toBe('Completed');
    expect(state.roster.contacts.get(0)).toMatchObject({ status: 'done', outcome: 'BUSY' });
    expect(state.roster.contacts.get(0)?.attempts.map((a) => a.callId)).toEqual([1, 2, 3].map((n) => callIdForAttempt('camp-1', 'c1', n)));
  });

  it('retryAt is the end plus the delay; outcomeDisposition retries only listed outcomes with attempts left', () => {
    expect(retryAt('2026-03-02T12:50:00.000Z', 90)).toBe('2026-03-02T14:20:00.000Z');
    const rules = { maxAttempts: 3, retryOn: ['BUSY', 'NO_ANSWER'] as ('BUSY' | 'NO_ANSWER')[] };
    expect(outcomeDisposition('BUSY', 1, rules)).toBe('retry');
    expect(outcomeDisposition('BUSY', 3, rules)).toBe('final');
    expect(outcomeDisposition('REJECTED', 1, rules)).toBe('final');
    expect(outcomeDisposition('COMPLETED', 1, rules)).toBe('final');
  });

  describe('when the balance runs out', () => {
    const base = [create(t0, settingsWith({ concurrentLimit: 10 }), true), enroll(0, Array.from({ length: 8 }, (_, i) => contact(i + 1)), t0)];

    it('places what the balance covers, pauses with insufficient_balance, and consumes no attempt of the refused contacts', () => {
      let { state, events } = run([...base, claim(t0)]);
      const claimed = claimsIn(events);
      expect(claimed).toHaveLength(8);
      // The fake wallet covers 5 calls: the rest are refused at placement.
      for (const refused of claimed.slice(5)) {
        const refusal: CampaignCommand = { type: 'RefuseAttempt', data: { ...refused, reason: 'insufficient_balance', at: t0 } };
        const decided = run([refusal], state);
        if (refused === claimed[5]) expect(types(decided.events)).toEqual(['ContactAttemptReleased', 'CampaignPaused']);
        else expect(types(decided.events)).toEqual(['ContactAttemptReleased']);
        state = decided.state;
      }
      const paused = state as ExistingCampaign;
      expect(paused).toMatchObject({ status: 'Paused', reason: 'insufficient_balance' });
      expect(paused.roster.inFlight).toBe(5);
      expect([...paused.roster.contacts].slice(5).map((c) => [c.status, c.attempts.length])).toEqual([['pending', 0], ['pending', 0], ['pending', 0]]);
      expect(nextContacts(paused, new Date(t0), 10)).toEqual([]);

      // Told to resume, the refused contacts go out as attempt 1 again, under the same call ids.
      const resumed = run([lifecycle('ResumeCampaign', t0), claim(t0)], paused);
      expect(claimsIn(resumed.events).map((c) => c.callId)).toEqual(claimed.slice(5).map((c) => c.callId));
    });

    it('a refusal repeated is a no-op', () => {
      const { state, events } = run([...base, claim(t0)]);
      const refusal: CampaignCommand = { type: 'RefuseAttempt', data: { ...claimsIn(events)[0]!, reason: 'insufficient_balance', at: t0 } };
      const once = run([refusal], state);
      expect(run([refusal], once.state).events).toEqual([]);
    });
  });

  it('a number refused at placement is skipped with the reason and its attempt not counted', () => {
    const { state, events } = run([create(t0, settingsWith(), true), enroll(0, [contact(1)], t0), lifecycle('CloseEnrollment', t0), claim(t0)]);
    const refusal: CampaignCommand = { type: 'RefuseAttempt', data: { ...claimsIn(events)[0]!, reason: 'invalid_number', at: t0 } };
    const after = run([refusal], state);
    expect(types(after.events)).toEqual(['ContactSkipped', 'CampaignCompleted']);
    expect((after.state as ExistingCampaign).roster.contacts.get(0)).toMatchObject({ status: 'skipped', reason: 'invalid_number', attempts: [] });
  });

  it('isComplete needs enrollment closed, nothing in flight and every contact final', () => {
    const open = run([create(t0, settingsWith(), true), enroll(0, [contact(1, { skip: 'dnc' })], t0)]).state;
    expect(isComplete(open)).toBe(false);
    expect(isComplete(run([lifecycle('CloseEnrollment', t0)], open).state)).toBe(true);
  });

  it('dueToStart is true from the start date on, for a scheduled campaign only', () => {
    const { state } = run([create(t0, settingsWith({ schedule: { startAt: '2026-03-25T00:00:00.000Z' } }), true)]);
    expect(dueToStart(state, new Date('2026-03-24T23:59:59Z'))).toBe(false);
    expect(dueToStart(state, new Date('2026-03-25T00:00:00Z'))).toBe(true);
    expect(dueToStart(run([create(t0)]).state, new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });

  it('nextDialableAt is the earliest retry or window opening among waiting contacts', () => {
    const settings = settingsWith({ concurrentLimit: 1, retryDelayMinutes: 30, schedule: { callingHours: officeHours } });
    const { state } = run([create(t0, settings, true), enroll(0, [contact(1)], t0), claim(t0), ended('c1', 1, callIdForAttempt('camp-1', 'c1', 1), 'BUSY', '2026-03-02T12:52:00.000Z')]);
    // The retry would be due at 13:22Z, but 18:00 local (13:00Z) has passed: next morning, 09:00 local.
    expect(nextDialableAt(state, new Date('2026-03-02T12:53:00Z'))?.toISOString()).toBe('2026-03-03T04:00:00.000Z');
  });
});

describe('after a restart', () => {
  it('attemptsInFlight lists the claims still holding a slot, with their call ids, for the dialer to place again', () => {
    const { state } = run([create(t0, settingsWith(), true), enroll(0, [contact(1), contact(2), contact(3)], t0), claim(t0), ended('c1', 1, callIdForAttempt('camp-1', 'c1', 1), 'COMPLETED', t0)]);
    expect(attemptsInFlight(state)).toEqual([{ contactId: 'c2', phone: contact(2).phone, attempt: 1, callId: callIdForAttempt('camp-1', 'c2', 1) }]);
  });
});

describe('attempt call ids', () => {
  it('are the same for the same attempt, and differ between attempts, contacts and campaigns', () => {
    const id = callIdForAttempt('camp-1', 'c1', 1);
    expect(callIdForAttempt('camp-1', 'c1', 1)).toBe(id);
    expect(new Set([id, callIdForAttempt('camp-1', 'c1', 2), callIdForAttempt('camp-1', 'c2', 1), callIdForAttempt('camp-2', 'c1', 1)]).size).toBe(4);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a second process deciding the same claim derives the same call id', () => {
    const commands = [create(t0, settingsWith(), true), enroll(0, [contact(1)], t0), claim(t0)];
    expect(claimsIn(run(commands).events)).toEqual(claimsIn(run(commands).events));
  });
});
