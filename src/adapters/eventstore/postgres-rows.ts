import type { EventMetadata, RecordedEvent } from '../../domain/shared/messages.ts';
import type { Selectable } from 'kysely';
import type { EventRow } from './postgres-schema.ts';

export const EVENT_COLUMNS = [
  'global_seq',
  'tx_id',
  'stream_name',
  'stream_revision',
  'type',
  'data',
  'metadata',
] as const satisfies readonly (keyof EventRow)[];

export type SelectedEventRow = Pick<Selectable<EventRow>, (typeof EVENT_COLUMNS)[number]>;

export function toRecordedEvent(row: SelectedEventRow): RecordedEvent {
  return {
    type: row.type,
    data: row.data,
    // Stored exactly as appended, so it already has the EventMetadata shape.
    metadata: row.metadata as EventMetadata,
    streamName: row.stream_name,
    streamRevision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.tx_id), prepare: BigInt(row.global_seq) },
  };
}
