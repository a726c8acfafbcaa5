import type { CallRow, CallTimelineEntry } from '../../projections/calls/types.ts';

/** The one mapping from read-model rows to the public snake_case JSON of a call. */

export type CallView = {
  id: string;
  status: string;
  phone_number: string;
  from_number: string | null;
  audio_id: string | null;
  record: boolean;
  campaign_id: string | null;
  created_at: string;
  dialing_at: string | null;
  ringing_at: string | null;
  answered_at: string | null;
  ended_at: string | null;
  /** Billable seconds rounded up, as carriers bill; null while the call is live. */
  duration_seconds: number | null;
  billable_ms: number | null;
  hangup_cause: { code: number | null; text: string | null } | null;
  failure_reason: string | null;
  retryable: boolean | null;
  /** 'test' when placed with a test key: it went to the simulator, never a real trunk. */
  mode: 'live' | 'test';
  /** Only while the call waits for its calling hours: when it will be placed. */
  scheduled_for?: string;
};

export type TimelineEntryView = {
  event_id: string;
  type: string;
  at: string;
  actor: string;
  correlation_id: string;
  causation_id: string;
  data: Record<string, unknown>;
};

const MS_PER_SECOND = 1000;

/** An ended call that was never answered billed nothing: 0, not null. */
export function billableSeconds(row: Pick<CallRow, 'endedAt' | 'billableMs'>): number | null {
  if (row.endedAt === null) return null;
  const ms = row.billableMs ?? 0;
  return Math.floor((ms + MS_PER_SECOND - 1) / MS_PER_SECOND);
}

export function callView(row: CallRow): CallView {
  return {
    id: row.callId,
    status: row.status,
    phone_number: row.to,
    from_number: row.from,
    audio_id: row.audioId,
    record: row.record,
    campaign_id: row.campaignId,
    created_at: row.requestedAt,
    dialing_at: row.dialingAt,
    ringing_at: row.ringingAt,
    answered_at: row.answeredAt,
    ended_at: row.endedAt,
    duration_seconds: billableSeconds(row),
    billable_ms: row.billableMs,
    hangup_cause: row.cause === null && row.causeText === null ? null : { code: row.cause, text: row.causeText },
    failure_reason: row.reason,
    retryable: row.retryable,
    mode: row.mode,
    ...(row.scheduledFor === undefined ? {} : { scheduled_for: row.scheduledFor }),
  };
}

export function timelineEntryView(entry: CallTimelineEntry): TimelineEntryView {
  return {
    event_id: entry.eventId,
    type: entry.type,
    at: entry.occurredAt,
    actor: entry.actor,
    correlation_id: entry.correlationId,
    causation_id: entry.causationId,
    data: withoutSealedSecrets(entry.data),
  };
}

/** A status callback's secret is sealed in the log; even sealed, it is not the API's to show. */
function withoutSealedSecrets(data: Record<string, unknown>): Record<string, unknown> {
  const callback = data.statusCallback as { url?: unknown } | null | undefined;
  if (!callback) return data;
  return { ...data, statusCallback: { url: callback.url } };
}

export function callWithTimelineView(call: CallRow, timeline: readonly CallTimelineEntry[]): CallView & { timeline: TimelineEntryView[] } {
  return { ...callView(call), timeline: timeline.map(timelineEntryView) };
}
