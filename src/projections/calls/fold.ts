import type { RecordedEvent } from '../../domain/shared/messages.ts';
import type { CallRow, CallTimelineEntry } from './types.ts';

type Data = Record<string, any>;

/**
 * The calls read model as a pure fold. Deterministic (updatedAt is the event's own time, never
 * the wall clock), so a rebuild from the log reproduces every row exactly.
 * Events at or below the row's lastRevision were applied already and change nothing.
 */
export function foldCallRow(row: CallRow | null, event: RecordedEvent): CallRow | null {
  const revision = Number(event.streamRevision);
  if (row && revision <= row.lastRevision) return row;
  const data = event.data as Data;
  const touched = (patch: Partial<CallRow>): CallRow | null =>
    row ? { ...row, ...patch, lastRevision: revision, updatedAt: event.metadata.occurredAt } : null;

  switch (event.type) {
    case 'CallRequested':
      if (row) return touched({});
      return {
        callId: data.callId,
        tenantId: data.tenantId,
        status: 'REQUESTED',
        to: data.to,
        from: data.from ?? null,
        audioId: data.audioId ?? null,
        record: Boolean(data.record),
        campaignId: data.campaignId ?? null,
        requestedAt: data.requestedAt,
        dialingAt: null,
        ringingAt: null,
        answeredAt: null,
        endedAt: null,
        billableMs: null,
        cause: null,
        causeText: null,
        reason: null,
        retryable: null,
        lastRevision: revision,
        updatedAt: event.metadata.occurredAt,
        mode: data.mode === 'test' ? 'test' : 'live',
      };
    case 'CallDialing':
      return touched({ status: 'DIALING', dialingAt: data.at });
    case 'CallRinging':
      return touched({ status: 'RINGING', ringingAt: data.at });
    case 'CallAnswered':
      return touched({ status: 'ANSWERED', answeredAt: data.answeredAt });
    case 'CallCompleted':
      return touched({
        status: 'COMPLETED',
        answeredAt: data.answeredAt,
        endedAt: data.endedAt,
        billableMs: data.billableMs,
        cause: data.cause,
        causeText: data.causeText,
        retryable: false,
      });
    case 'CallLost':
      // No carrier gave a cause; the reason says how the loss was found, the timeline how it was billed.
      return touched({
        status: 'LOST',
        answeredAt: data.answeredAt,
        endedAt: data.detectedAt,
        billableMs: data.billableMs,
        cause: null,
        causeText: null,
        reason: data.reason,
        retryable: false,
      });
    case 'CallFailed':
      return touched({
        status: data.outcome,
        endedAt: data.endedAt,
        billableMs: 0,
        cause: data.cause,
        causeText: data.causeText,
        reason: data.reason,
        retryable: data.retryable,
      });
    case 'CallBlocked':
      return touched({
        status: 'BLOCKED',
        endedAt: data.blockedAt,
        billableMs: 0,
        cause: null,
        causeText: null,
        reason: `on the ${data.scope === 'operator' ? 'operator-wide' : "account's"} do-not-call list`,
        retryable: false,
      });
    default:
      return touched({});
  }
}

export function timelineEntry(event: RecordedEvent): CallTimelineEntry {
  return {
    eventId: event.metadata.eventId,
    revision: Number(event.streamRevision),
    type: event.type,
    occurredAt: event.metadata.occurredAt,
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    data: event.data as Record<string, unknown>,
  };
}
