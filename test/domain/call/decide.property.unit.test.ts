import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallCommand } from '../../../src/domain/call/commands.ts';
import { decide } from '../../../src/domain/call/decide.ts';
import { TERMINAL_FAILURE_OUTCOMES, type CallEvent } from '../../../src/domain/call/events.ts';
import { evolve } from '../../../src/domain/call/evolve.ts';
import { initialState } from '../../../src/domain/call/state.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';
import { callId, expectValid, placeCall } from './fixtures.ts';

/** Instants within one hour, so answer/end order varies freely (including ends before answers). */
const at = fc.integer({ min: 0, max: 3_600_000 }).map((ms) => new Date(Date.parse('2026-01-01T10:00:00Z') + ms).toISOString());
const cause = fc.oneof(fc.constantFrom(1, 16, 17, 18, 19, 21, 34, 42), fc.integer({ min: 0, max: 127 }));

const command: fc.Arbitrary<CallCommand> = fc.oneof(
  fc.record({ at, record: fc.boolean() }).map(
    ({ at, record }): CallCommand => ({ type: 'PlaceCall', data: { ...placeCall.data, at, record } }),
  ),
  fc.record({ at, channelId: fc.constantFrom(`ct-${callId}`, 'ct-other') }).map(
    ({ at, channelId }): CallCommand => ({ type: 'MarkDialing', data: { callId, channelId, at } }),
  ),
  at.map((at): CallCommand => ({ type: 'MarkRinging', data: { callId, at } })),
  at.map((at): CallCommand => ({ type: 'MarkAnswered', data: { callId, at } })),
  fc.record({ at, phase: fc.constantFrom('started' as const, 'finished' as const), playbackId: fc.constantFrom('pb-1', 'pb-2') }).map(
    ({ at, phase, playbackId }): CallCommand => ({ type: 'RecordPlayback', data: { callId, phase, playbackId, media: 'sound:x', at } }),
  ),
  fc.record({ at, digit: fc.constantFrom('1', '5', '#', '*') }).map(
    ({ at, digit }): CallCommand => ({ type: 'RecordDtmf', data: { callId, digit, at } }),
  ),
  fc.record({ at, cause }).map(({ at, cause }): CallCommand => ({ type: 'CompleteCall', data: { callId, cause, causeText: 'x', at } })),
  fc.record({ at, cause: fc.option(cause, { nil: null }), outcome: fc.constantFrom(...TERMINAL_FAILURE_OUTCOMES) }).map(
    ({ at, cause, outcome }): CallCommand => ({
      type: 'FailCall',
      data: { callId, outcome, cause, causeText: 'x', reason: null, at },
    }),
  ),
  at.map((at): CallCommand => ({ type: 'HangupCall', data: { callId, reason: 'r', at } })),
);

const TERMINAL = new Set(['CallCompleted', 'CallFailed']);

/** Runs a command sequence the way the command handler would: refused commands change nothing. */
function run(commands: readonly CallCommand[], onDecided: (cmd: CallCommand, events: CallEvent[], history: CallEvent[]) => void) {
  let state = initialState();
  const history: CallEvent[] = [];
  for (const cmd of commands) {
    let events: CallEvent[];
    try {
      events = decide(cmd, state);
    } catch (error) {
      // Refusals are domain errors with a code, never a crash.
      expect(error).toBeInstanceOf(DomainError);
      continue;
    }
    onDecided(cmd, events, history);
    for (const event of events) {
      state = evolve(state, event);
      history.push(event);
    }
    // Deciding the same command again on the new state is a no-op: retries are always safe.
    if (events.length > 0) expect(decide(cmd, state)).toEqual([]);
  }
  return { state, history };
}

describe('Call decider properties', () => {
  it('never produces two terminal events, and evolve accepts everything decide produced', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        const withPlace = [placeCall as CallCommand, ...commands];
        const { state, history } = run(withPlace, (_cmd, events) => expectValid(events));
        const terminals = history.filter((event) => TERMINAL.has(event.type));
        expect(terminals.length).toBeLessThanOrEqual(1);
        if (terminals.length === 1) {
          expect(state.status).toBe('Ended');
          expect(history.at(-1)?.type).toBe(terminals[0]?.type);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never records CallFailed for a call that was answered, and never a negative billable time', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        const { history } = run([placeCall, ...commands], () => {});
        const answered = history.some((event) => event.type === 'CallAnswered');
        if (answered) expect(history.some((event) => event.type === 'CallFailed')).toBe(false);
        for (const event of history) {
          if (event.type === 'CallCompleted') expect(event.data.billableMs).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
