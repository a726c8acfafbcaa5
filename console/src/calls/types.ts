import type { PageInfo } from '../components/pagination.tsx';

/** The JSON of a call, exactly as the API's view writes it (a type-only import: nothing of the engine is bundled). */
export type { CallView } from '../../../src/http/views/call.ts';

export type Paged<T> = { data: T[]; pagination: PageInfo };

/** Statuses the list can be filtered by (src/http/schemas/calls.ts CALL_STATUSES). */
export const CALL_STATUSES = ['REQUESTED', 'DIALING', 'RINGING', 'ANSWERED', 'COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST', 'BLOCKED'] as const;

/** Is this live event about a call (or, with an id, about that one call, its charge included)? */
export const isCallEvent = (event: { subject: { kind: string; id: string }; call_id?: string }, callId?: string): boolean =>
  callId === undefined ? event.subject.kind === 'call' : (event.subject.kind === 'call' && event.subject.id === callId) || event.call_id === callId;
