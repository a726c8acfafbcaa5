import type { CallCommand } from '../../../src/domain/call/commands.ts';
import { callEventSchemas, type CallEvent, type CallEventOf } from '../../../src/domain/call/events.ts';
import { evolveAll } from '../../../src/domain/call/evolve.ts';
import type { CallState } from '../../../src/domain/call/state.ts';

/** Builders for call tests: one story of a call, told through its events and commands. */

export const callId = '6f1c2b8e-3d4a-4c5b-9e7f-0a1b2c3d4e5f';
export const otherCallId = '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a';
export const channelId = `ct-${callId}`;

export const T = {
  requested: '2026-01-01T10:00:00.000Z',
  dialing: '2026-01-01T10:00:00.200Z',
  ringing: '2026-01-01T10:00:01.000Z',
  answered: '2026-01-01T10:00:05.000Z',
  media: '2026-01-01T10:00:06.000Z',
  ended: '2026-01-01T10:00:35.500Z',
  later: '2026-01-01T10:05:00.000Z',
};

export const placeCall: Extract<CallCommand, { type: 'PlaceCall' }> = {
  type: 'PlaceCall',
  data: {
    callId,
    tenantId: 'tenant-zenscall',
    to: '+923001234567',
    from: null,
    audioId: 'welcome',
    record: false,
    ringTimeoutSeconds: 30,
    maxDurationSeconds: 300,
    campaignId: null,
    mode: 'live',
    optOutDigit: null,
    at: T.requested,
  },
};

export const ev = {
  requested: (): CallEventOf<'CallRequested'> => {
    const { at, ...rest } = placeCall.data;
    return { type: 'CallRequested', data: { ...rest, statusCallback: null, requestedAt: at } };
  },
  dialing: (): CallEventOf<'CallDialing'> => ({ type: 'CallDialing', data: { callId, channelId, at: T.dialing } }),
  ringing: (): CallEventOf<'CallRinging'> => ({ type: 'CallRinging', data: { callId, at: T.ringing } }),
  answered: (): CallEventOf<'CallAnswered'> => ({ type: 'CallAnswered', data: { callId, answeredAt: T.answered } }),
  hangupRequested: (): CallEventOf<'HangupRequested'> => ({
    type: 'HangupRequested',
    data: { callId, reason: 'user asked', at: T.media },
  }),
  completed: (): CallEventOf<'CallCompleted'> => ({
    type: 'CallCompleted',
    data: { callId, cause: 16, causeText: 'Normal call clearing', answeredAt: T.answered, endedAt: T.ended, billableMs: 30_500 },
  }),
  failed: (): CallEventOf<'CallFailed'> => ({
    type: 'CallFailed',
    data: { callId, outcome: 'BUSY', cause: 17, causeText: 'User busy', retryable: true, endedAt: T.ended, reason: null },
  }),
};

export const cmd = {
  dialing: (channel = channelId): CallCommand => ({ type: 'MarkDialing', data: { callId, channelId: channel, at: T.dialing } }),
  ringing: (at = T.ringing): CallCommand => ({ type: 'MarkRinging', data: { callId, at } }),
  answered: (at = T.answered): CallCommand => ({ type: 'MarkAnswered', data: { callId, at } }),
  playback: (phase: 'started' | 'finished', playbackId = 'pb-1'): CallCommand => ({
    type: 'RecordPlayback',
    data: { callId, phase, playbackId, media: 'sound:welcome', at: T.media },
  }),
  dtmf: (digit = '5', at = T.media): CallCommand => ({ type: 'RecordDtmf', data: { callId, digit, at } }),
  complete: (at = T.ended, cause = 16): CallCommand => ({
    type: 'CompleteCall',
    data: { callId, cause, causeText: 'Normal call clearing', at },
  }),
  fail: (outcome: Extract<CallCommand, { type: 'FailCall' }>['data']['outcome'] = 'BUSY', cause: number | null = 17): CallCommand => ({
    type: 'FailCall',
    data: { callId, outcome, cause, causeText: 'User busy', reason: null, at: T.ended },
  }),
  hangup: (): CallCommand => ({ type: 'HangupCall', data: { callId, reason: 'user asked', at: T.media } }),
};

/** The state after these events, built with the real evolve. */
export function given(...events: CallEvent[]): CallState {
  return evolveAll(events);
}

/** Each named state, reached by the shortest honest history. */
export const states = {
  Initial: () => given(),
  Requested: () => given(ev.requested()),
  Dialing: () => given(ev.requested(), ev.dialing()),
  Ringing: () => given(ev.requested(), ev.dialing(), ev.ringing()),
  Answered: () => given(ev.requested(), ev.dialing(), ev.ringing(), ev.answered()),
  Completed: () => given(ev.requested(), ev.dialing(), ev.ringing(), ev.answered(), ev.completed()),
  Failed: () => given(ev.requested(), ev.dialing(), ev.ringing(), ev.failed()),
};
export type StateName = keyof typeof states;

/** Every event must satisfy its own schema: the contract the store and projections rely on. */
export function expectValid(events: readonly CallEvent[]): void {
  for (const event of events) callEventSchemas[event.type].parse(event.data);
}
