import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isInsideWindow,
  nextContacts,
  windowOf,
  type CampaignCommand,
  type CampaignState,
  type ExistingCampaign,
} from '../../../src/domain/campaign/index.ts';
import { claim, claimsIn, contact, create, ended, enroll, run, settingsWith } from './fixtures.ts';

const ZONES = [['Asia/Karachi'], ['America/New_York'], ['Europe/London'], ['America/Chicago', 'America/New_York'], ['Australia/Sydney']];
const OUTCOMES = ['COMPLETED', 'BUSY', 'NO_ANSWER', 'FAILED', 'REJECTED'] as const;
const start = Date.parse('2026-03-06T00:00:00Z');

/** A random campaign history: contacts in random zones, then claims and ends at random moments. */
const history = fc.record({
  limit: fc.integer({ min: 1, max: 6 }),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  hours: fc.constantFrom({ start: '09:00', end: '18:00' }, { start: '20:00', end: '02:00' }, null),
  zones: fc.array(fc.nat(ZONES.length - 1), { minLength: 1, maxLength: 15 }),
  steps: fc.array(fc.record({ minutes: fc.integer({ min: 0, max: 600 }), end: fc.nat(), outcome: fc.constantFrom(...OUTCOMES) }), { maxLength: 40 }),
  probe: fc.record({ minutes: fc.integer({ min: 0, max: 4 * 1440 }), capacity: fc.integer({ min: 0, max: 10 }) }),
});

type History = typeof history extends fc.Arbitrary<infer T> ? T : never;

function build(input: History): { state: CampaignState; at: number } {
  const settings = settingsWith({ concurrentLimit: input.limit, maxAttempts: input.maxAttempts, retryDelayMinutes: 15, schedule: { callingHours: input.hours } });
  const t0 = new Date(start).toISOString();
  const contacts = input.zones.map((zone, i) => contact(i + 1, { zones: ZONES[zone]! }));
  let { state } = run([create(t0, settings, true), enroll(0, contacts, t0)]);
  let at = start;
  const live: { contactId: string; attempt: number; callId: string }[] = [];
  for (const step of input.steps) {
    at += step.minutes * 60_000;
    const iso = new Date(at).toISOString();
    const commands: CampaignCommand[] = [];
    const finished = live.length > 0 ? live.splice(step.end % live.length, 1)[0] : undefined;
    if (finished) commands.push(ended(finished.contactId, finished.attempt, finished.callId, step.outcome, iso));
    commands.push(claim(iso));
    const decided = run(commands, state);
    state = decided.state;
    live.push(...claimsIn(decided.events));
  }
  return { state, at };
}

describe('nextContacts, whatever happened before', () => {
  it('never returns more than the capacity or the free slots, nor a contact outside its window, exhausted, or not waiting', () => {
    fc.assert(
      fc.property(history, (input) => {
        const { state, at } = build(input);
        const campaign = state as ExistingCampaign;
        const now = new Date(at + input.probe.minutes * 60_000);
        const picked = nextContacts(state, now, input.probe.capacity);
        expect(picked.length).toBeLessThanOrEqual(input.probe.capacity);
        expect(campaign.roster.inFlight + picked.length).toBeLessThanOrEqual(input.limit);
        const order = new Map([...campaign.roster.contacts].map((c, i) => [c.contactId, i]));
        let previous = -1;
        for (const choice of picked) {
          const progress = [...campaign.roster.contacts].find((c) => c.contactId === choice.contactId)!;
          expect(isInsideWindow(progress.zones, windowOf(campaign.settings), now)).toBe(true);
          expect(progress.attempts.length).toBeLessThan(input.maxAttempts);
          expect(choice.attempt).toBe(progress.attempts.length + 1);
          expect(['pending', 'retry_scheduled']).toContain(progress.status);
          if (progress.status === 'retry_scheduled') expect(Date.parse(progress.retryAt)).toBeLessThanOrEqual(now.getTime());
          expect(order.get(choice.contactId)!).toBeGreaterThan(previous);
          previous = order.get(choice.contactId)!;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('in-flight attempts never exceed the concurrent limit, at any step', () => {
    fc.assert(
      fc.property(history, (input) => {
        const { state } = build(input);
        const campaign = state as ExistingCampaign;
        const dialing = [...campaign.roster.contacts].filter((c) => c.status === 'dialing').length;
        expect(dialing).toBe(campaign.roster.inFlight);
        expect(dialing).toBeLessThanOrEqual(input.limit);
      }),
      { numRuns: 100 },
    );
  });

  it('the scans start where the first unfinished contact is: every contact before openFrom is final, the one at it is not', () => {
    fc.assert(
      fc.property(history, (input) => {
        const { roster } = build(input).state as ExistingCampaign;
        const contacts = [...roster.contacts];
        const firstOpen = contacts.findIndex((c) => c.status !== 'done' && c.status !== 'skipped');
        expect(roster.openFrom).toBe(firstOpen === -1 ? contacts.length : firstOpen);
      }),
      { numRuns: 200 },
    );
  });
});
