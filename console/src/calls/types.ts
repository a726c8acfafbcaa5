import type { PageInfo } from '../components/pagination.tsx';

/** The JSON of the calls API (src/http/views/call.ts), as far as the console reads it. */
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
  duration_seconds: number | null;
  billable_ms: number | null;
  hangup_cause: { code: number | null; text: string | null } | null;
  failure_reason: string | null;
  retryable: boolean | null;
  mode: 'live' | 'test';
  scheduled_for?: string;
};

export type Paged<T> = { data: T[]; pagination: PageInfo };

/** Statuses the list can be filtered by (src/http/schemas/calls.ts CALL_STATUSES). */
export const CALL_STATUSES = ['REQUESTED', 'DIALING', 'RINGING', 'ANSWERED', 'COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST', 'BLOCKED'] as const;

/** Is this live event about a call (or, with an id, about that one call, its charge included)? */
export const isCallEvent = (event: { subject: { kind: string; id: string }; call_id?: string }, callId?: string): boolean =>
  callId === undefined ? event.subject.kind === 'call' : (event.subject.kind === 'call' && event.subject.id === callId) || event.call_id === callId;
