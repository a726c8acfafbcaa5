import type { CallRow, CallTimelineEntry } from './types.ts';

/** Maps between CallRow and the `calls` table's columns, in one place. */

export const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string | Date).toISOString();

export function callRowToColumns(row: CallRow): Record<string, unknown> {
  return {
    call_id: row.callId,
    tenant_id: row.tenantId,
    status: row.status,
    to_number: row.to,
    from_number: row.from,
    audio_id: row.audioId,
    record: row.record,
    campaign_id: row.campaignId,
    requested_at: row.requestedAt,
    dialing_at: row.dialingAt,
    ringing_at: row.ringingAt,
    answered_at: row.answeredAt,
    ended_at: row.endedAt,
    billable_ms: row.billableMs,
    cause: row.cause,
    cause_text: row.causeText,
    reason: row.reason,
    retryable: row.retryable,
    last_revision: row.lastRevision,
    updated_at: row.updatedAt,
    mode: row.mode,
  };
}

export function callRowFromColumns(c: Record<string, any>): CallRow {
  return {
    callId: c.call_id,
    tenantId: c.tenant_id,
    status: c.status,
    to: c.to_number,
    from: c.from_number,
    audioId: c.audio_id,
    record: c.record,
    campaignId: c.campaign_id,
    requestedAt: iso(c.requested_at)!,
    dialingAt: iso(c.dialing_at),
    ringingAt: iso(c.ringing_at),
    answeredAt: iso(c.answered_at),
    endedAt: iso(c.ended_at),
    billableMs: c.billable_ms === null ? null : Number(c.billable_ms),
    cause: c.cause,
    causeText: c.cause_text,
    reason: c.reason,
    retryable: c.retryable,
    lastRevision: c.last_revision,
    updatedAt: iso(c.updated_at)!,
    mode: c.mode === 'test' ? 'test' : 'live',
  };
}

export function timelineToColumns(entry: CallTimelineEntry, callId: string, tenantId: string): Record<string, unknown> {
  return {
    event_id: entry.eventId,
    call_id: callId,
    tenant_id: tenantId,
    revision: entry.revision,
    type: entry.type,
    occurred_at: entry.occurredAt,
    actor: entry.actor,
    correlation_id: entry.correlationId,
    causation_id: entry.causationId,
    data: JSON.stringify(entry.data),
  };
}

export function timelineFromColumns(c: Record<string, any>): CallTimelineEntry {
  return {
    eventId: c.event_id,
    revision: c.revision,
    type: c.type,
    occurredAt: iso(c.occurred_at)!,
    actor: c.actor,
    correlationId: c.correlation_id,
    causationId: c.causation_id,
    data: typeof c.data === 'string' ? JSON.parse(c.data) : c.data,
  };
}
