import type { CallRow } from '../../src/projections/calls/types.ts';

/**
 * A `calls` read-model row for tests and benches that write the table directly: a call to a US
 * number requested at `requestedAt`, not yet dialled, with whatever the caller overrides.
 */
export function callRowFixture(fields: Pick<CallRow, 'callId' | 'tenantId' | 'requestedAt'> & Partial<CallRow>): CallRow {
  return {
    status: 'REQUESTED',
    to: '+14155550100',
    from: null,
    audioId: null,
    record: false,
    campaignId: null,
    dialingAt: null,
    ringingAt: null,
    answeredAt: null,
    endedAt: null,
    billableMs: null,
    cause: null,
    causeText: null,
    reason: null,
    retryable: null,
    lastRevision: 0,
    updatedAt: fields.requestedAt,
    mode: 'live',
    ...fields,
  };
}
