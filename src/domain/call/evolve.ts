import { isCallEventType, type CallEvent } from './events.ts';
import { dtmfKey, type CallEnding, type CallState } from './state.ts';

/**
 * Folds one event into the state. Total and forgiving, because it runs over history that is
 * already written: event types it does not know (retired, or newer than this build) are skipped,
 * and an event that does not fit the current state leaves the state unchanged rather than throw —
 * a stream must always load. `decide` is where transitions are policed.
 */
export function evolve(state: CallState, event: { readonly type: string; readonly data: unknown }): CallState {
  if (!isCallEventType(event.type)) return state;
  const known = event as CallEvent;

  switch (known.type) {
    case 'CallRequested':
      return state.status === 'Initial' ? { status: 'Requested', request: known.data } : state;

    case 'CallDialing':
      if (state.status !== 'Requested') return state;
      return {
        status: 'Dialing',
        request: state.request,
        channelId: known.data.channelId,
        dialingAt: known.data.at,
        hangupRequestedAt: null,
      };

    case 'CallRinging':
      if (state.status !== 'Dialing') return state;
      return {
        status: 'Ringing',
        request: state.request,
        channelId: state.channelId,
        ringingAt: known.data.at,
        hangupRequestedAt: state.hangupRequestedAt,
      };

    case 'CallAnswered':
      if (state.status !== 'Requested' && state.status !== 'Dialing' && state.status !== 'Ringing') return state;
      return {
        status: 'Answered',
        request: state.request,
        channelId: state.status === 'Requested' ? null : state.channelId,
        answeredAt: known.data.answeredAt,
        hangupRequestedAt: state.status === 'Requested' ? null : state.hangupRequestedAt,
        playbacksStarted: [],
        playbacksFinished: [],
        dtmfSeen: [],
        optedOutAt: null,
        recordings: [],
      };

    case 'PlaybackStarted':
      if (state.status !== 'Answered') return state;
      return { ...state, playbacksStarted: [...state.playbacksStarted, known.data.playbackId] };

    case 'PlaybackFinished':
      if (state.status !== 'Answered') return state;
      return { ...state, playbacksFinished: [...state.playbacksFinished, known.data.playbackId] };

    case 'DtmfReceived':
      if (state.status !== 'Answered') return state;
      return { ...state, dtmfSeen: [...state.dtmfSeen, dtmfKey(known.data.digit, known.data.at)] };

    case 'OptOutRequested':
      if (state.status !== 'Answered') return state;
      return state.optedOutAt === null ? { ...state, optedOutAt: known.data.at } : state;

    case 'RecordingStored':
      if (state.status !== 'Answered' && state.status !== 'Ended') return state;
      return { ...state, recordings: [...state.recordings, known.data.name] };

    case 'HangupRequested':
      if (state.status !== 'Dialing' && state.status !== 'Ringing' && state.status !== 'Answered') return state;
      return state.hangupRequestedAt === null ? { ...state, hangupRequestedAt: known.data.at } : state;

    case 'CallCompleted':
      return endedWith(state, {
        kind: 'completed',
        answeredAt: known.data.answeredAt,
        endedAt: known.data.endedAt,
        billableMs: known.data.billableMs,
        cause: known.data.cause,
        causeText: known.data.causeText,
      });

    case 'CallLost':
      return endedWith(state, {
        kind: 'lost',
        answeredAt: known.data.answeredAt,
        lastSeenAt: known.data.lastSeenAt,
        endedAt: known.data.detectedAt,
        billableMs: known.data.billableMs,
        billingRule: known.data.billingRule,
        reason: known.data.reason,
      });

    case 'CallFailed':
      return endedWith(state, {
        kind: 'failed',
        outcome: known.data.outcome,
        retryable: known.data.retryable,
        cause: known.data.cause,
        causeText: known.data.causeText,
        reason: known.data.reason,
        endedAt: known.data.endedAt,
      });

    case 'CallBlocked':
      if (state.status !== 'Dialing') return state;
      return endedWith(state, { kind: 'blocked', scope: known.data.scope, endedAt: known.data.blockedAt });

    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}

/** A terminal event ends a live call once; on a call that never existed or already ended it changes nothing. */
function endedWith(state: CallState, ending: CallEnding): CallState {
  if (state.status === 'Initial' || state.status === 'Ended') return state;
  return {
    status: 'Ended',
    request: state.request,
    channelId: state.status === 'Requested' ? null : state.channelId,
    ending,
    recordings: state.status === 'Answered' ? state.recordings : [],
  };
}

/** Replays a whole stream. */
export function evolveAll(
  events: Iterable<{ readonly type: string; readonly data: unknown }>,
  from: CallState = { status: 'Initial' },
): CallState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}
