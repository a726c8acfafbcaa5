/**
 * Translation between calltrail's event shapes and EventStoreDB's. Kept in one place so that no
 * EventStoreDB type escapes the adapter and the on-disk layout is decided once.
 *
 * On disk, an event's custom metadata is our EventMetadata plus `$correlationId` and `$causationId`
 * under exactly those names, because ESDB's own projections ($by_correlation_id) read them.
 */
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, EventToAppend, RecordedEvent } from '../../domain/shared/messages.ts';
import type { ExpectedRevision } from './port.ts';

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

export function toEsdbEvent(event: EventToAppend): EventData {
  const { metadata } = event;
  return jsonEvent({
    // ESDB's own duplicate detection works on this id, which is what makes retries safe.
    id: metadata.eventId,
    type: event.type,
    data: event.data,
    metadata: { ...metadata, $correlationId: metadata.correlationId, $causationId: metadata.causationId },
  });
}

/** ESDB's internal streams and event types start with `$`; calltrail never writes such names. */
export function isSystemEvent(streamName: string, type: string): boolean {
  return streamName.startsWith('$') || type.startsWith('$');
}

/** An event that cannot be read back as a calltrail event (written by something else). */
export class ForeignEventError extends Error {
  constructor(streamName: string, eventId: string, problem: string) {
    super(`EventStoreDB event ${eventId} in stream ${streamName} is not a calltrail event: ${problem}`);
    this.name = 'ForeignEventError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function toEventMetadata(raw: unknown, esdbId: string, streamName: string): EventMetadata {
  if (!isRecord(raw)) throw new ForeignEventError(streamName, esdbId, 'metadata is not a JSON object');
  const text = (key: string): string => {
    const value = raw[key];
    if (typeof value !== 'string') throw new ForeignEventError(streamName, esdbId, `metadata.${key} is missing`);
    return value;
  };
  const schemaVersion = raw['schemaVersion'];
  if (typeof schemaVersion !== 'number') {
    throw new ForeignEventError(streamName, esdbId, 'metadata.schemaVersion is missing');
  }
  return {
    // The server hands ids back lower-cased; the metadata keeps the caller's exact spelling.
    eventId: typeof raw['eventId'] === 'string' ? raw['eventId'] : esdbId,
    correlationId: text('correlationId'),
    causationId: text('causationId'),
    tenantId: text('tenantId'),
    actor: text('actor'),
    occurredAt: text('occurredAt'),
    schemaVersion,
  };
}

/**
 * Our view of one read result, or undefined for what calltrail never returns: system events and
 * links whose target is gone.
 */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || isSystemEvent(event.streamId, event.type)) return undefined;
  if (!event.isJson || !isRecord(event.data)) {
    throw new ForeignEventError(event.streamId, event.id, 'data is not a JSON object');
  }
  if (!event.position) throw new ForeignEventError(event.streamId, event.id, 'the server sent no log position');
  return {
    type: event.type,
    data: event.data,
    metadata: toEventMetadata(event.metadata, event.id, event.streamId),
    streamName: event.streamId,
    streamRevision: event.revision,
    position: { commit: event.position.commit, prepare: event.position.prepare },
  };
}
