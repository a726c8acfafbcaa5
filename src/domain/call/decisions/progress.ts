import type { MarkAnswered, MarkDialing, MarkRinging } from '../commands.ts';
import { emit } from '../emit.ts';
import type { CallEvent } from '../events.ts';
import { sameInstant, type CallState } from '../state.ts';
import { callNotFound, refuse } from './refusals.ts';

/** The dialer has handed the call to the PBX. */
export function markDialing(command: MarkDialing, state: CallState): CallEvent[] {
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Requested':
      return [emit('CallDialing', { callId: command.data.callId, channelId: command.data.channelId, at: command.data.at })];
    case 'Dialing':
      if (state.channelId === command.data.channelId) return [];
      // Channel ids derive from the call id; a different one means a second channel was forked.
      return refuse(command, state, `it is already dialing on channel ${state.channelId}`);
    default:
      return refuse(command, state, 'dialing is behind it');
  }
}

export function markRinging(command: MarkRinging, state: CallState): CallEvent[] {
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Dialing':
      return [emit('CallRinging', { callId: command.data.callId, at: command.data.at })];
    case 'Ringing':
      return [];
    case 'Requested':
      return refuse(command, state, 'it has not been dialled yet');
    default:
      return refuse(command, state, 'ringing is behind it');
  }
}

/** Carriers do not always report ringing (or even our dialing), so an answer may skip states. */
export function markAnswered(command: MarkAnswered, state: CallState): CallEvent[] {
  switch (state.status) {
    case 'Initial':
      return callNotFound(command);
    case 'Requested':
    case 'Dialing':
    case 'Ringing':
      return [emit('CallAnswered', { callId: command.data.callId, answeredAt: command.data.at })];
    case 'Answered':
      if (sameInstant(state.answeredAt, command.data.at)) return [];
      // Billing runs from the answer time; two different ones cannot both be true.
      return refuse(command, state, `it was answered at ${state.answeredAt}`);
    case 'Ended':
      return refuse(command, state, 'it has ended');
  }
}
