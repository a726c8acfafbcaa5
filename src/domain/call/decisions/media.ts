import type { RecordDtmf, RecordPlayback, RecordRecording } from '../commands.ts';
import { emit } from '../emit.ts';
import type { CallEvent } from '../events.ts';
import { dtmfKey, endedAnswered, type AnsweredCall, type CallState } from '../state.ts';
import { callNotFound, refuse } from './refusals.ts';

/**
 * Media facts only exist on an answered call. After it ended, a straggler from the PBX (Asterisk
 * may report a playback finishing after the channel is gone) is dropped: the record is closed and
 * such facts change nothing billable. On a call that never answered they are impossible.
 */
function mediaGate(command: RecordPlayback | RecordDtmf, state: CallState): 'record' | 'drop' {
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Answered':
      return 'record';
    case 'Ended':
      if (endedAnswered(state.ending)) return 'drop';
      return refuse(command, state, 'it was never answered');
    default:
      return refuse(command, state, 'media only plays once answered');
  }
}

export function recordPlayback(command: RecordPlayback, state: CallState): CallEvent[] {
  if (mediaGate(command, state) === 'drop' || state.status !== 'Answered') return [];
  const { callId, playbackId, media, at } = command.data;
  if (command.data.phase === 'started') {
    if (state.playbacksStarted.includes(playbackId)) return [];
    return [emit('PlaybackStarted', { callId, playbackId, media, at })];
  }
  if (state.playbacksFinished.includes(playbackId)) return [];
  return [emit('PlaybackFinished', { callId, playbackId, at })];
}

/**
 * A recording is a file that exists on the PBX, so it is recorded even when Asterisk reports it
 * after the hangup; only a call that was never answered cannot have one.
 */
export function recordRecording(command: RecordRecording, state: CallState): CallEvent[] {
  if (state.status === 'Initial') return callNotFound(command);
  const answered = state.status === 'Answered' || (state.status === 'Ended' && endedAnswered(state.ending));
  if (!answered) return refuse(command, state, 'only an answered call can be recorded');
  if (state.recordings.includes(command.data.name)) return [];
  const { callId, name, format, durationSeconds, at } = command.data;
  return [emit('RecordingStored', { callId, name, format, durationSeconds, at })];
}

export function recordDtmf(command: RecordDtmf, state: CallState): CallEvent[] {
  if (mediaGate(command, state) === 'drop' || state.status !== 'Answered') return [];
  const { callId, digit, at } = command.data;
  // A key press has no id of its own; the same digit at the same instant is a redelivery.
  if (state.dtmfSeen.includes(dtmfKey(digit, at))) return [];
  return [emit('DtmfReceived', { callId, digit, at }), ...optOut(state, digit, at)];
}

/**
 * The call's opt-out key, pressed for the first time: the callee asks not to be called again. The
 * call ends here through the ordinary hangup request (the dialer hangs up on HangupRequested), so
 * nothing more is played to someone who just opted out; a second press asks for nothing new.
 */
function optOut(state: AnsweredCall, digit: string, at: string): CallEvent[] {
  const { callId, optOutDigit } = state.request;
  if (optOutDigit === null || digit !== optOutDigit || state.optedOutAt !== null) return [];
  const requested = emit('OptOutRequested', { callId, digit, at });
  if (state.hangupRequestedAt !== null) return [requested];
  return [requested, emit('HangupRequested', { callId, reason: 'callee opted out', at })];
}
