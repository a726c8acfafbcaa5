import type { RecordedEvent } from '../shared/messages.ts';
import { lostCallBillingSentence, type LostCallData } from './lost-call.ts';

/** One line of an audited call's story, as the audit report and the dispute export print it. */

/** A recorded event whose data the caller has already decoded (and upcast). */
export type AuditInputEvent = Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'streamName' | 'streamRevision'>;

export type TimelineRow = {
  readonly stream: string;
  readonly revision: string;
  readonly type: string;
  readonly at: string;
  readonly actor: string;
  readonly eventId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly summary: string;
};

function summarise(event: AuditInputEvent): string {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'CallRequested':
      return `to ${String(d.to)}, ${String(d.mode)} mode, max ${String(d.maxDurationSeconds)} s`;
    case 'CallAnswered':
      return `answered at ${String(d.answeredAt)}`;
    case 'CallCompleted':
      return `cause ${String(d.cause)} (${String(d.causeText)}), billable ${String(d.billableMs)} ms`;
    case 'CallLost':
      return `LOST, no cause (${String(d.reason)}); ${lostCallBillingSentence(d as LostCallData)}`;
    case 'CallFailed':
      return `${String(d.outcome)}, cause ${d.cause === null ? 'none' : String(d.cause)} (${String(d.causeText)})`;
    case 'CallBlocked':
      return `BLOCKED before dialling: on the ${String(d.scope)} do-not-call list`;
    case 'FundsReserved':
    case 'ReservationReleased':
    case 'CallCharged': {
      const amount = d.amount as { amountMinor: number; currency: string } | undefined;
      return amount ? `${amount.currency} ${amount.amountMinor} minor` : '';
    }
    case 'HangupRequested':
      return String(d.reason ?? '');
    default:
      return '';
  }
}

export function timelineRow(event: AuditInputEvent): TimelineRow {
  return {
    stream: event.streamName,
    revision: event.streamRevision.toString(),
    type: event.type,
    at: event.metadata.occurredAt,
    actor: event.metadata.actor,
    eventId: event.metadata.eventId,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    summary: summarise(event),
  };
}
