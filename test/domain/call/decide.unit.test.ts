import { describe, expect, it } from 'vitest';
import type { CallCommand } from '../../../src/domain/call/commands.ts';
import { decide } from '../../../src/domain/call/decide.ts';
import type { CallEvent } from '../../../src/domain/call/events.ts';
import { evolve } from '../../../src/domain/call/evolve.ts';
import type { CallState } from '../../../src/domain/call/state.ts';
import { DomainError, InvalidTransitionError, NotFoundError, ValidationError } from '../../../src/domain/shared/errors.ts';
import { callId, channelId, cmd, ev, expectValid, given, otherCallId, placeCall, states, T, type StateName } from './fixtures.ts';

/** when(command) on a state → the events decided, checked against their schemas on the way. */
function when(state: CallState, command: CallCommand): CallEvent[] {
  const events = decide(command, state);
  expectValid(events);
  return events;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected the command to be refused');
}

type Expectation = readonly string[] | { refused: string };
const REFUSED = { refused: 'INVALID_STATE_TRANSITION' } as const;
const NOT_FOUND = { refused: 'CALL_NOT_FOUND' } as const;

/** The transition table in decide.ts, row by row: command × state → event types, [] or error code. */
const table: ReadonlyArray<[string, () => CallCommand, StateName, Expectation]> = [
  ['PlaceCall', () => placeCall, 'Initial', ['CallRequested']],
  ['PlaceCall (same data)', () => placeCall, 'Requested', []],
  ['PlaceCall (same data)', () => placeCall, 'Answered', []],
  ['PlaceCall (same data)', () => placeCall, 'Completed', []],

  ['MarkDialing', cmd.dialing, 'Initial', NOT_FOUND],
  ['MarkDialing', cmd.dialing, 'Requested', ['CallDialing']],
  ['MarkDialing (same channel)', cmd.dialing, 'Dialing', []],
  ['MarkDialing (other channel)', () => cmd.dialing('ct-other'), 'Dialing', REFUSED],
  ['MarkDialing', cmd.dialing, 'Ringing', REFUSED],
  ['MarkDialing', cmd.dialing, 'Answered', REFUSED],
  ['MarkDialing', cmd.dialing, 'Completed', REFUSED],
  ['MarkDialing', cmd.dialing, 'Failed', REFUSED],

  ['MarkRinging', cmd.ringing, 'Initial', NOT_FOUND],
  ['MarkRinging', cmd.ringing, 'Requested', REFUSED],
  ['MarkRinging', cmd.ringing, 'Dialing', ['CallRinging']],
  ['MarkRinging', cmd.ringing, 'Ringing', []],
  ['MarkRinging (later report)', () => cmd.ringing(T.media), 'Ringing', []],
  ['MarkRinging', cmd.ringing, 'Answered', REFUSED],
  ['MarkRinging', cmd.ringing, 'Completed', REFUSED],
  ['MarkRinging', cmd.ringing, 'Failed', REFUSED],

  ['MarkAnswered', cmd.answered, 'Initial', NOT_FOUND],
  ['MarkAnswered', cmd.answered, 'Requested', ['CallAnswered']],
  ['MarkAnswered', cmd.answered, 'Dialing', ['CallAnswered']],
  ['MarkAnswered', cmd.answered, 'Ringing', ['CallAnswered']],
  ['MarkAnswered (same instant)', cmd.answered, 'Answered', []],
  ['MarkAnswered (same instant, +00:00)', () => cmd.answered('2026-01-01T10:00:05.000+00:00'), 'Answered', []],
  ['MarkAnswered (other instant)', () => cmd.answered(T.media), 'Answered', REFUSED],
  ['MarkAnswered', cmd.answered, 'Completed', REFUSED],
  ['MarkAnswered', cmd.answered, 'Failed', REFUSED],

  ['RecordPlayback', () => cmd.playback('started'), 'Initial', NOT_FOUND],
  ['RecordPlayback', () => cmd.playback('started'), 'Requested', REFUSED],
  ['RecordPlayback', () => cmd.playback('started'), 'Dialing', REFUSED],
  ['RecordPlayback', () => cmd.playback('started'), 'Ringing', REFUSED],
  ['RecordPlayback started', () => cmd.playback('started'), 'Answered', ['PlaybackStarted']],
  ['RecordPlayback finished', () => cmd.playback('finished'), 'Answered', ['PlaybackFinished']],
  ['RecordPlayback (straggler)', () => cmd.playback('finished'), 'Completed', []],
  ['RecordPlayback', () => cmd.playback('finished'), 'Failed', REFUSED],

  ['RecordDtmf', cmd.dtmf, 'Initial', NOT_FOUND],
  ['RecordDtmf', cmd.dtmf, 'Requested', REFUSED],
  ['RecordDtmf', cmd.dtmf, 'Dialing', REFUSED],
  ['RecordDtmf', cmd.dtmf, 'Ringing', REFUSED],
  ['RecordDtmf', cmd.dtmf, 'Answered', ['DtmfReceived']],
  ['RecordDtmf (straggler)', cmd.dtmf, 'Completed', []],
  ['RecordDtmf', cmd.dtmf, 'Failed', REFUSED],

  ['CompleteCall', cmd.complete, 'Initial', NOT_FOUND],
  ['CompleteCall', cmd.complete, 'Requested', REFUSED],
  ['CompleteCall', cmd.complete, 'Dialing', REFUSED],
  ['CompleteCall', cmd.complete, 'Ringing', REFUSED],
  ['CompleteCall', cmd.complete, 'Answered', ['CallCompleted']],
  ['CompleteCall (again)', cmd.complete, 'Completed', []],
  ['CompleteCall (different end)', () => cmd.complete(T.later, 31), 'Completed', []],
  ['CompleteCall', cmd.complete, 'Failed', []],

  ['FailCall', () => cmd.fail(), 'Initial', NOT_FOUND],
  ['FailCall', () => cmd.fail(), 'Requested', ['CallFailed']],
  ['FailCall', () => cmd.fail(), 'Dialing', ['CallFailed']],
  ['FailCall', () => cmd.fail(), 'Ringing', ['CallFailed']],
  ['FailCall (answered call)', () => cmd.fail(), 'Answered', ['CallCompleted']],
  ['FailCall', () => cmd.fail(), 'Completed', []],
  ['FailCall (again)', () => cmd.fail(), 'Failed', []],
  ['FailCall (different outcome)', () => cmd.fail('NO_ANSWER', 19), 'Failed', []],

  ['HangupCall', cmd.hangup, 'Initial', NOT_FOUND],
  ['HangupCall', cmd.hangup, 'Requested', ['CallFailed']],
  ['HangupCall', cmd.hangup, 'Dialing', ['HangupRequested']],
  ['HangupCall', cmd.hangup, 'Ringing', ['HangupRequested']],
  ['HangupCall', cmd.hangup, 'Answered', ['HangupRequested']],
  ['HangupCall', cmd.hangup, 'Completed', []],
  ['HangupCall', cmd.hangup, 'Failed', []],
];

describe('Call decider: the transition table', () => {
  it.each(table)('%s on a %s call', (_label, command, stateName, expected) => {
    const state = states[stateName]();
    if (Array.isArray(expected)) {
      expect(when(state, command()).map((event) => event.type)).toEqual(expected);
    } else {
      expect(codeOf(() => decide(command(), state))).toBe((expected as { refused: string }).refused);
    }
  });

  it('refuses with the documented error classes', () => {
    expect(() => decide(cmd.answered(), states.Completed())).toThrow(InvalidTransitionError);
    expect(() => decide(cmd.dialing(), states.Answered())).toThrow(InvalidTransitionError);
    expect(() => decide(cmd.hangup(), states.Initial())).toThrow(NotFoundError);
  });
});

describe('PlaceCall', () => {
  it('given no call, when placed, then CallRequested carries the request and its instant', () => {
    const [event] = when(states.Initial(), placeCall);
    expect(event).toEqual(ev.requested());
  });

  it('given a placed call, when the same request comes later, then nothing happens', () => {
    expect(when(states.Requested(), { ...placeCall, data: { ...placeCall.data, at: T.later } })).toEqual([]);
  });

  it.each([
    ['to', '+923009999999'],
    ['audioId', 'other'],
    ['record', true],
    ['maxDurationSeconds', 60],
    ['campaignId', 'c-1'],
  ])('given a placed call, when one with a different %s comes, then CALL_ALREADY_EXISTS', (field, value) => {
    const different = { ...placeCall, data: { ...placeCall.data, [field]: value } } as CallCommand;
    expect(codeOf(() => decide(different, states.Ringing()))).toBe('CALL_ALREADY_EXISTS');
  });

  it('refuses data that would make an invalid event (not E.164, not an instant)', () => {
    const notE164 = { ...placeCall, data: { ...placeCall.data, to: '03001234567' } };
    expect(() => decide(notE164, states.Initial())).toThrow(ValidationError);
    const badTime = { ...placeCall, data: { ...placeCall.data, at: 'yesterday' } };
    expect(() => decide(badTime, states.Initial())).toThrow(ValidationError);
  });
});

describe('answer and completion', () => {
  it('given a ringing call, when answered, then the carrier time is the answer time', () => {
    expect(when(states.Ringing(), cmd.answered())).toEqual([{ type: 'CallAnswered', data: { callId, answeredAt: T.answered } }]);
  });

  it('a carrier may skip states: answer straight from Requested, then complete', () => {
    const answered = evolve(states.Requested(), when(states.Requested(), cmd.answered())[0]!);
    expect(answered).toMatchObject({ status: 'Answered', channelId: null, answeredAt: T.answered });
    expect(when(answered, cmd.complete())[0]).toMatchObject({ type: 'CallCompleted', data: { billableMs: 30_500 } });
  });

  it('given an answered call, when completed, then billableMs = endedAt − answeredAt', () => {
    expect(when(states.Answered(), cmd.complete())).toEqual([
      {
        type: 'CallCompleted',
        data: { callId, cause: 16, causeText: 'Normal call clearing', answeredAt: T.answered, endedAt: T.ended, billableMs: 30_500 },
      },
    ]);
  });

  it('clamps billableMs at 0 when the end is stamped before the answer (skewed clocks)', () => {
    const [event] = when(states.Answered(), cmd.complete('2026-01-01T10:00:04.000Z'));
    expect(event).toMatchObject({ type: 'CallCompleted', data: { billableMs: 0 } });
  });

  it('an answered call that ends is always CallCompleted: FailCall keeps its cause, 0 when none', () => {
    const [busy] = when(states.Answered(), cmd.fail('BUSY', 17));
    expect(busy).toMatchObject({ type: 'CallCompleted', data: { cause: 17, billableMs: 30_500, answeredAt: T.answered } });
    const lost: CallCommand = {
      type: 'FailCall',
      data: { callId, outcome: 'LOST', cause: null, causeText: '', reason: 'lost while disconnected', at: T.ended },
    };
    const [event] = when(states.Answered(), lost);
    expect(event).toMatchObject({ type: 'CallCompleted', data: { cause: 0, causeText: 'lost while disconnected' } });
  });
});

describe('failure', () => {
  it.each([
    ['BUSY', true],
    ['NO_ANSWER', true],
    ['CONGESTION', true],
    ['LOST', true],
    ['REJECTED', false],
    ['INVALID_NUMBER', false],
    ['FAILED', false],
    ['CANCELLED', false],
  ] as const)('given a ringing call, when it fails with %s, then retryable is %s', (outcome, retryable) => {
    const [event] = when(states.Ringing(), cmd.fail(outcome, 17));
    expect(event).toEqual({
      type: 'CallFailed',
      data: { callId, outcome, cause: 17, causeText: 'User busy', retryable, endedAt: T.ended, reason: null },
    });
  });

  it('given a requested call, when hung up, then it is CANCELLED with no carrier cause and not retryable', () => {
    expect(when(states.Requested(), cmd.hangup())).toEqual([
      {
        type: 'CallFailed',
        data: {
          callId,
          outcome: 'CANCELLED',
          cause: null,
          causeText: 'Cancelled before dialling',
          retryable: false,
          endedAt: T.media,
          reason: 'user asked',
        },
      },
    ]);
  });

  it('given a dialing call, when hung up, then only the request is recorded and the call stays live', () => {
    const events = when(states.Dialing(), cmd.hangup());
    expect(events).toEqual([{ type: 'HangupRequested', data: { callId, reason: 'user asked', at: T.media } }]);
    const after = evolve(states.Dialing(), events[0]!);
    expect(after).toMatchObject({ status: 'Dialing', hangupRequestedAt: T.media });
    // The PBX's report still ends it.
    expect(when(after, cmd.fail('CANCELLED', 16))[0]?.type).toBe('CallFailed');
  });
});

describe('idempotent replays', () => {
  it('a second hangup request adds nothing, even after the call moved on', () => {
    const requested = given(ev.requested(), ev.dialing(), ev.hangupRequested());
    expect(when(requested, cmd.hangup())).toEqual([]);
    const ringing = evolve(requested, ev.ringing());
    expect(when(ringing, cmd.hangup())).toEqual([]);
  });

  it('the same playback start or finish, redelivered, is recorded once', () => {
    const started = given(ev.requested(), ev.dialing(), ev.answered(), {
      type: 'PlaybackStarted',
      data: { callId, playbackId: 'pb-1', media: 'sound:welcome', at: T.media },
    });
    expect(when(started, cmd.playback('started'))).toEqual([]);
    expect(when(started, cmd.playback('started', 'pb-2')).map((e) => e.type)).toEqual(['PlaybackStarted']);
    const finished = evolve(started, { type: 'PlaybackFinished', data: { callId, playbackId: 'pb-1', at: T.media } });
    expect(when(finished, cmd.playback('finished'))).toEqual([]);
  });

  it('the same key press at the same instant is one press; the same digit later is another', () => {
    const pressed = given(ev.requested(), ev.dialing(), ev.answered(), { type: 'DtmfReceived', data: { callId, digit: '5', at: T.media } });
    expect(when(pressed, cmd.dtmf('5', T.media))).toEqual([]);
    expect(when(pressed, cmd.dtmf('5', '2026-01-01T10:00:07.000Z')).map((e) => e.type)).toEqual(['DtmfReceived']);
    expect(when(pressed, cmd.dtmf('6', T.media)).map((e) => e.type)).toEqual(['DtmfReceived']);
  });

  it('refuses a DTMF digit the schema does not allow', () => {
    expect(() => decide(cmd.dtmf('x'), states.Answered())).toThrow(ValidationError);
  });
});

describe('one call per state', () => {
  it('refuses a command for another call with CALL_ID_MISMATCH', () => {
    expect(codeOf(() => decide({ type: 'MarkRinging', data: { callId: otherCallId, at: T.ringing } }, states.Dialing()))).toBe(
      'CALL_ID_MISMATCH',
    );
  });
});

describe('evolve', () => {
  it('keeps only what each status knows', () => {
    expect(states.Dialing()).toMatchObject({ status: 'Dialing', channelId, dialingAt: T.dialing, hangupRequestedAt: null });
    expect(states.Ringing()).not.toHaveProperty('answeredAt');
    expect(states.Completed()).toMatchObject({
      status: 'Ended',
      ending: { kind: 'completed', answeredAt: T.answered, billableMs: 30_500, cause: 16 },
    });
    expect(states.Failed()).toMatchObject({ status: 'Ended', ending: { kind: 'failed', outcome: 'BUSY', retryable: true } });
  });

  it('ignores event types it does not know, so old streams still load', () => {
    const before = states.Ringing();
    expect(evolve(before, { type: 'CallTranscribed', data: { text: 'hello' } })).toBe(before);
  });

  it('skips an event that does not fit the state rather than throw', () => {
    const ended = states.Completed();
    expect(evolve(ended, ev.answered())).toBe(ended);
    expect(evolve(states.Initial(), ev.dialing())).toEqual({ status: 'Initial' });
  });
});
