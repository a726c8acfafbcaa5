import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/call/decide.ts';
import type { CallEvent, CallEventOf } from '../../../src/domain/call/events.ts';
import { evolve, evolveAll } from '../../../src/domain/call/evolve.ts';
import type { CallState } from '../../../src/domain/call/state.ts';
import { callId, cmd, ev, expectValid, placeCall, T } from './fixtures.ts';

/**
 * The opt-out key: a DtmfReceived fact becomes OptOutRequested (and a hangup request) only when
 * the call was placed with an opt-out digit, the digit is that one, and it is the first such press.
 */

const later = '2026-01-01T10:00:07.000Z';

const requestedWith = (optOutDigit: string | null): CallEventOf<'CallRequested'> => {
  const requested = ev.requested();
  return { ...requested, data: { ...requested.data, optOutDigit } };
};

function given(...events: CallEvent[]): CallState {
  return evolveAll(events);
}

function when(state: CallState, digit: string, at = T.media): CallEvent[] {
  const events = decide(cmd.dtmf(digit, at), state);
  expectValid(events);
  return events;
}

const answeredWith = (optOutDigit: string | null) => given(requestedWith(optOutDigit), ev.dialing(), ev.ringing(), ev.answered());

describe('opt-out by keypress', () => {
  it('given a call with opt-out digit 9, when 9 is pressed, then DtmfReceived, OptOutRequested and a hangup request', () => {
    expect(when(answeredWith('9'), '9')).toEqual([
      { type: 'DtmfReceived', data: { callId, digit: '9', at: T.media } },
      { type: 'OptOutRequested', data: { callId, digit: '9', at: T.media } },
      { type: 'HangupRequested', data: { callId, reason: 'callee opted out', at: T.media } },
    ]);
  });

  it('given a call with opt-out digit #, when # is pressed, then OptOutRequested with #', () => {
    expect(when(answeredWith('#'), '#').map((event) => event.type)).toEqual(['DtmfReceived', 'OptOutRequested', 'HangupRequested']);
  });

  it('given a call with opt-out digit 9, when another digit is pressed, then only DtmfReceived', () => {
    expect(when(answeredWith('9'), '1')).toEqual([{ type: 'DtmfReceived', data: { callId, digit: '1', at: T.media } }]);
    expect(when(answeredWith('*'), '#').map((event) => event.type)).toEqual(['DtmfReceived']);
  });

  it('given a call with no opt-out digit, when any digit is pressed, then only DtmfReceived', () => {
    for (const digit of ['9', '0', '*', '#']) expect(when(answeredWith(null), digit).map((event) => event.type)).toEqual(['DtmfReceived']);
  });

  it('given the opt-out already recorded, when the digit is pressed again, then only DtmfReceived', () => {
    const first = answeredWith('9');
    const afterFirst = decide(cmd.dtmf('9', T.media), first).reduce(evolve, first);
    expect(when(afterFirst, '9', later)).toEqual([{ type: 'DtmfReceived', data: { callId, digit: '9', at: later } }]);
    // The same press redelivered is one press: nothing at all.
    expect(when(afterFirst, '9', T.media)).toEqual([]);
  });

  it('given a hangup already requested, when the opt-out digit is pressed, then the opt-out is recorded without a second hangup request', () => {
    const hangingUp = evolve(answeredWith('9'), ev.hangupRequested());
    expect(when(hangingUp, '9', later).map((event) => event.type)).toEqual(['DtmfReceived', 'OptOutRequested']);
  });

  it('given the call ended, when the opt-out digit arrives late, then nothing: the record is closed', () => {
    expect(when(evolve(answeredWith('9'), ev.completed()), '9')).toEqual([]);
  });

  it('the opt-out digit is part of the request: the same call placed again with another digit is refused', () => {
    const state = given(requestedWith('9'));
    expect(decide({ ...placeCall, data: { ...placeCall.data, optOutDigit: '9' } }, state)).toEqual([]);
    expect(() => decide({ ...placeCall, data: { ...placeCall.data, optOutDigit: '8' } }, state)).toThrow(/already exists/);
  });

  it('refuses an opt-out digit that is not a key on a phone', () => {
    expect(() => decide({ ...placeCall, data: { ...placeCall.data, optOutDigit: 'A' } }, given())).toThrow();
  });
});
