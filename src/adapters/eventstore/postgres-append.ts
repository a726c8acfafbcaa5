import { sql, type Kysely } from 'kysely';
import type { EventToAppend } from '../../domain/shared/messages.ts';
import { WrongExpectedRevisionError, type AppendResult, type ExpectedRevision } from './port.ts';
import { WRONG_EXPECTED_REVISION_STATE } from './postgres-schema.ts';
import { sqlStateOf } from './postgres-errors.ts';
import { canonicalParts } from './hash-chain.ts';

export type AppendSettings = {
  /** NOTIFY channel announced on commit, so subscribers in other processes wake up. */
  readonly notifyChannel?: string;
};

/**
 * The whole append in one round trip: es_append (postgres-schema.ts, 0003) locks or creates the
 * stream row, answers a retry with its original result, checks the expected revision, links the
 * hash chain from the stream's last hash and inserts the batch. Given the store's db it is its
 * own transaction; given a transaction, it joins it (a conflict then aborts that transaction,
 * as any failed statement does).
 *
 * Each event is serialised once: its canonical JSON is both what the row stores and what the
 * hash covers (hash-chain.ts), so the chain is byte for byte the one verify recomputes.
 */
export async function appendInTransaction(
  db: Kysely<any>,
  stream: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
  settings: AppendSettings = {},
): Promise<AppendResult> {
  const columns = toColumns(stream, events);
  let rows: { next_revision: string; position_commit: string; position_prepare: string }[];
  try {
    ({ rows } = await sql<{ next_revision: string; position_commit: string; position_prepare: string }>`
      select next_revision, position_commit, position_prepare from es_append(
        ${stream}, ${typeof expected === 'bigint' ? expected.toString() : expected},
        ${columns.eventIds}::text[], ${columns.types}::text[], ${columns.schemaVersions}::integer[],
        ${columns.data}::text[], ${columns.metadata}::text[], ${columns.tenantIds}::text[],
        ${columns.correlationIds}::text[], ${columns.tails}::text[],
        ${settings.notifyChannel ?? null}::text
      )`.execute(db));
  } catch (error) {
    if (sqlStateOf(error) !== WRONG_EXPECTED_REVISION_STATE) throw error;
    throw new WrongExpectedRevisionError(stream, expected, BigInt((error as { detail?: string }).detail ?? '-1'));
  }
  const row = rows[0];
  if (row === undefined) throw new Error('es_append returned no row');
  return {
    nextExpectedRevision: BigInt(row.next_revision),
    position: { commit: BigInt(row.position_commit), prepare: BigInt(row.position_prepare) },
  };
}

/** The batch as one array per column, the shape es_append takes (one parameter each, any batch size). */
function toColumns(stream: string, events: readonly EventToAppend[]) {
  const columns = {
    eventIds: [] as string[],
    types: [] as string[],
    schemaVersions: [] as number[],
    data: [] as string[],
    metadata: [] as string[],
    tenantIds: [] as string[],
    correlationIds: [] as string[],
    tails: [] as string[],
  };
  for (const event of events) {
    const { metadata } = event;
    const parts = canonicalParts(stream, event.type, event.data, metadata);
    columns.eventIds.push(metadata.eventId);
    columns.types.push(event.type);
    columns.schemaVersions.push(metadata.schemaVersion);
    columns.data.push(parts.data);
    columns.metadata.push(parts.metadata);
    columns.tenantIds.push(metadata.tenantId);
    columns.correlationIds.push(metadata.correlationId);
    columns.tails.push(parts.tail);
  }
  return columns;
}

export function meetsExpectation(expected: ExpectedRevision, actual: bigint): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1n;
    case 'stream_exists':
      return actual >= 0n;
    default:
      return actual === expected;
  }
}
