import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../src/adapters/eventstore/port.ts';
import { comparePositions, type RecordedEvent } from '../../src/domain/shared/messages.ts';
import { poll } from './poll.ts';
import { readWholeLog } from './whole-log.ts';

/**
 * The whole log, including everything committed before the call. On Postgres an event becomes
 * readable only once every older transaction in the cluster has ended, so another test file's
 * open transaction can hide a just-committed event from one plain read. A marker appended now
 * sorts after everything already committed; once it is readable, so is all of that.
 */
export async function readSettledLog(store: EventStore): Promise<RecordedEvent[]> {
  const eventId = randomUUID();
  const marker = await store.append(`testmarker-${eventId}`, [
    {
      type: 'TestLogMarker',
      data: {},
      metadata: { eventId, correlationId: eventId, causationId: eventId, tenantId: 'test', actor: 'system:test', occurredAt: new Date(0).toISOString(), schemaVersion: 1 },
    },
  ], 'no_stream');
  return poll('the log to settle past a marker', async () => {
    const events = await readWholeLog(store);
    const last = events.at(-1);
    if (last === undefined || comparePositions(last.position, marker.position) < 0) return null;
    return events.filter((event) => event.type !== 'TestLogMarker');
  });
}
