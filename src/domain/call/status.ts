import { TERMINAL_FAILURE_OUTCOMES, type CallEvent } from './events.ts';
import type { CallState } from './state.ts';

/**
 * The status words read models and the API show. A failed call's status is its outcome
 * (BUSY, NO_ANSWER...), so a list filtered by status answers "why did it fail" directly.
 */
export const CALL_STATUSES = [
  'REQUESTED',
  'DIALING',
  'RINGING',
  'ANSWERED',
  'COMPLETED',
  ...TERMINAL_FAILURE_OUTCOMES,
  'BLOCKED',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export function isTerminalStatus(status: CallStatus): boolean {
  return status !== 'REQUESTED' && status !== 'DIALING' && status !== 'RINGING' && status !== 'ANSWERED';
}

/** The call's status, or null for a call that does not exist yet. */
export function statusOf(state: CallState): CallStatus | null {
  switch (state.status) {
    case 'Initial':
      return null;
    case 'Requested':
      return 'REQUESTED';
    case 'Dialing':
      return 'DIALING';
    case 'Ringing':
      return 'RINGING';
    case 'Answered':
      return 'ANSWERED';
    case 'Ended':
      if (state.ending.kind === 'completed') return 'COMPLETED';
      if (state.ending.kind === 'blocked') return 'BLOCKED';
      return state.ending.kind === 'lost' ? 'LOST' : state.ending.outcome;
  }
}

/**
 * The status an event moves the call to, or null when it does not change the status (media,
 * hangup requests). For projections that work from single events rather than folded state.
 */
export function statusAfter(event: CallEvent): CallStatus | null {
  switch (event.type) {
    case 'CallRequested':
      return 'REQUESTED';
    case 'CallDialing':
      return 'DIALING';
    case 'CallRinging':
      return 'RINGING';
    case 'CallAnswered':
      return 'ANSWERED';
    case 'CallCompleted':
      return 'COMPLETED';
    case 'CallFailed':
      return event.data.outcome;
    case 'CallLost':
      return 'LOST';
    case 'CallBlocked':
      return 'BLOCKED';
    case 'PlaybackStarted':
    case 'PlaybackFinished':
    case 'DtmfReceived':
    case 'OptOutRequested':
    case 'RecordingStored':
    case 'HangupRequested':
      return null;
  }
}
