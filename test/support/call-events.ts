import type { EventToAppend } from '../../src/domain/shared/messages.ts';

/**
 * Builds realistic call streams without going through the decider, for projection and replay tests
 * that need many events fast. Outcomes cycle through answered, busy, no answer and rejected.
 */
export function callStreamEvents(index: number, tenantId = 'tenant-a'): { callId: string; events: EventToAppend[] } {
  const callId = uuidFor(index);
  const base = Date.parse('2026-03-01T09:00:00.000Z') + index * 1000;
  const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
  const meta = (n: number, offsetMs: number, actor = 'system:test') => ({
    eventId: uuidFor(index, n + 1),
    correlationId: `corr-${index}`,
    causationId: n === 0 ? `req-${index}` : uuidFor(index, n),
    tenantId,
    actor,
    occurredAt: at(offsetMs),
    schemaVersion: 1,
  });
  const events: EventToAppend[] = [
    {
      type: 'CallRequested',
      data: {
        callId, tenantId, to: `+92300${String(1_000_000 + index).slice(-7)}`, from: null, audioId: null, record: false,
        ringTimeoutSeconds: 30, maxDurationSeconds: 600, campaignId: null, mode: 'live', requestedAt: at(0),
      },
      metadata: meta(0, 0, 'apikey:test'),
    },
    { type: 'CallDialing', data: { callId, channelId: `calltrail-${callId}`, at: at(10) }, metadata: meta(1, 10) },
  ];
  switch (index % 4) {
    case 0:
      events.push(
        { type: 'CallRinging', data: { callId, at: at(500) }, metadata: meta(2, 500) },
        { type: 'CallAnswered', data: { callId, answeredAt: at(3000) }, metadata: meta(3, 3000) },
        {
          type: 'CallCompleted',
          data: { callId, cause: 16, causeText: 'Normal Clearing', answeredAt: at(3000), endedAt: at(3000 + 61_000 + index), billableMs: 61_000 + index },
          metadata: meta(4, 64_000 + index),
        },
      );
      break;
    case 1:
      events.push({
        type: 'CallFailed',
        data: { callId, outcome: 'BUSY', cause: 17, causeText: 'User busy', retryable: true, endedAt: at(800), reason: null },
        metadata: meta(2, 800),
      });
      break;
    case 2:
      events.push(
        { type: 'CallRinging', data: { callId, at: at(500) }, metadata: meta(2, 500) },
        {
          type: 'CallFailed',
          data: { callId, outcome: 'NO_ANSWER', cause: 19, causeText: 'No answer', retryable: true, endedAt: at(30_500), reason: null },
          metadata: meta(3, 30_500),
        },
      );
      break;
    default:
      events.push({
        type: 'CallFailed',
        data: { callId, outcome: 'REJECTED', cause: 21, causeText: 'Call rejected', retryable: false, endedAt: at(900), reason: null },
        metadata: meta(2, 900),
      });
  }
  return { callId, events };
}

/** Deterministic uuid-shaped ids, so rebuilt rows can be compared byte for byte. */
export function uuidFor(index: number, n = 0): string {
  const hex = (index * 16 + n).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}
