import { DomainError } from '../../shared/errors.ts';
import type { PlaceCall } from '../commands.ts';
import { emit } from '../emit.ts';
import type { CallEvent } from '../events.ts';
import type { CallRequest, CallState } from '../state.ts';

/**
 * A call is placed once. Sending the same request again (a client retry) changes nothing; the
 * instant is left out of the comparison because a retry is naturally stamped later.
 */
export function placeCall(command: PlaceCall, state: CallState): CallEvent[] {
  const { at, ...wanted } = command.data;
  const request: CallRequest = { ...wanted, statusCallback: wanted.statusCallback ?? null, requestedAt: at };
  if (state.status === 'Initial') return [emit('CallRequested', request)];

  if (sameRequest(state.request, request)) return [];
  throw new DomainError(
    'CALL_ALREADY_EXISTS',
    `Call ${command.data.callId} already exists with different details.`,
    { callId: command.data.callId, status: state.status },
  );
}

function sameRequest(existing: CallRequest, wanted: CallRequest): boolean {
  return (
    existing.callId === wanted.callId &&
    existing.tenantId === wanted.tenantId &&
    existing.to === wanted.to &&
    existing.from === wanted.from &&
    existing.audioId === wanted.audioId &&
    existing.record === wanted.record &&
    existing.ringTimeoutSeconds === wanted.ringTimeoutSeconds &&
    existing.maxDurationSeconds === wanted.maxDurationSeconds &&
    existing.campaignId === wanted.campaignId &&
    existing.mode === wanted.mode &&
    existing.optOutDigit === wanted.optOutDigit &&
    // The sealed secret differs on every request; the URL is what the caller asked for.
    (existing.statusCallback?.url ?? null) === (wanted.statusCallback?.url ?? null)
  );
}
