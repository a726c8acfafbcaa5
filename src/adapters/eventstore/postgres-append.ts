import { sql, type Kysely, type Transaction } from 'kysely';
import { comparePositions, type EventToAppend, type GlobalPosition } from '../../domain/shared/messages.ts';
import { WrongExpectedRevisionError, type AppendResult, type ExpectedRevision } from './port.ts';
import type { EventStoreTables } from './postgres-schema.ts';
import { chainBatch, GENESIS_HASH } from './hash-chain.ts';

const ROWS_PER_INSERT = 500;

export type AppendSettings = {
  /** NOTIFY channel announced on commit, so subscribers in other processes wake up. */
  readonly notifyChannel?: string;
};

/**
 * The whole append, run inside the caller's transaction (READ COMMITTED). Locking the stream's
 * row first serialises writers of one stream in the database itself, so two processes can never
 * both pass the revision check; everything after the lock sees the latest committed stream.
 */
export async function appendInTransaction(
  trx: Transaction<any>,
  stream: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
  settings: AppendSettings = {},
): Promise<AppendResult> {
  const db = trx as unknown as Kysely<EventStoreTables>;
  const { revision: actual, lastHash } = await lockStream(db, stream);

  // A retry carries the revision it was first sent with, which no longer matches once the original
  // landed; so an exact match (the common command-handler case) is never a retry and skips the
  // lookup. Re-sending stored eventIds with the current revision then fails on the unique index.
  const mayBeRetry = actual >= 0n && expected !== actual;
  if (mayBeRetry) {
    const earlier = await findAlreadyStored(db, stream, events);
    if (earlier !== undefined) {
      if (earlier.kind === 'whole-batch') return earlier.result;
      throw new WrongExpectedRevisionError(stream, expected, actual);
    }
  }
  if (!meetsExpectation(expected, actual)) throw new WrongExpectedRevisionError(stream, expected, actual);

  const last = actual + BigInt(events.length);
  // The stream lock is held, so nobody can append between reading the head's hash and writing.
  const previousHash = actual < 0n ? GENESIS_HASH : (lastHash ?? (await headHash(db, stream, actual)));
  const links = chainBatch(stream, actual + 1n, previousHash, events);
  let position: GlobalPosition | undefined;
  for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
    const chunk = events.slice(start, start + ROWS_PER_INSERT);
    const inserted = await db
      .insertInto('es_events')
      .values(chunk.map((event, index) => toRow(stream, actual + 1n + BigInt(start + index), event, links[start + index]!)))
      .returning(['tx_id', 'global_seq'])
      .execute();
    for (const row of inserted) position = laterOf(position, { commit: BigInt(row.tx_id), prepare: BigInt(row.global_seq) });
  }

  // One round trip: move the stream forward and queue the wake-up that NOTIFY sends on commit.
  await sql`
    with moved as (
      update es_streams set revision = ${last.toString()}, last_hash = ${links.at(-1)!.hash} where stream_name = ${stream} returning 1
    )
    select ${settings.notifyChannel === undefined ? sql`null` : sql`pg_notify(${settings.notifyChannel}, '')`} from moved
  `.execute(db);

  if (position === undefined) throw new Error('append of zero events reached the insert step');
  return { nextExpectedRevision: last, position };
}

/** Current revision (-1 for a new stream) and its head's hash, holding the stream's row lock until commit. */
async function lockStream(db: Kysely<EventStoreTables>, stream: string): Promise<{ revision: bigint; lastHash: string | null }> {
  // ON CONFLICT DO UPDATE both creates a missing row and locks an existing one, in one statement.
  const row = await db
    .insertInto('es_streams')
    .values({ stream_name: stream, revision: '-1' })
    .onConflict((conflict) => conflict.column('stream_name').doUpdateSet({ stream_name: (eb) => eb.ref('excluded.stream_name') }))
    .returning(['revision', 'last_hash'])
    .executeTakeFirstOrThrow();
  return { revision: BigInt(row.revision), lastHash: row.last_hash };
}

/** Streams written before the hash chain existed keep no head hash until backfilled; read the row's. */
async function headHash(db: Kysely<EventStoreTables>, stream: string, revision: bigint): Promise<string> {
  const row = await db
    .selectFrom('es_events')
    .select('hash')
    .where('stream_name', '=', stream)
    .where('stream_revision', '=', revision.toString())
    .executeTakeFirst();
  return row?.hash ?? GENESIS_HASH;
}

type AlreadyStored = { kind: 'whole-batch'; result: AppendResult } | { kind: 'partial' };

/**
 * A retry of an earlier append finds every one of its eventIds already stored, one after another
 * and in the same order; that is answered with the original result. Any other overlap is a conflict.
 */
async function findAlreadyStored(
  db: Kysely<EventStoreTables>,
  stream: string,
  events: readonly EventToAppend[],
): Promise<AlreadyStored | undefined> {
  const ids = events.map((event) => event.metadata.eventId);
  const stored = await db
    .selectFrom('es_events')
    .select(['event_id', 'stream_revision', 'tx_id', 'global_seq'])
    .where('stream_name', '=', stream)
    .where('event_id', 'in', ids)
    .orderBy('stream_revision')
    .execute();
  if (stored.length === 0) return undefined;
  if (stored.length !== ids.length) return { kind: 'partial' };

  const first = BigInt(stored[0]!.stream_revision);
  const inOrder = stored.every(
    (row, index) => row.event_id === ids[index] && BigInt(row.stream_revision) === first + BigInt(index),
  );
  if (!inOrder) return { kind: 'partial' };

  const lastRow = stored[stored.length - 1]!;
  return {
    kind: 'whole-batch',
    result: {
      nextExpectedRevision: BigInt(lastRow.stream_revision),
      position: { commit: BigInt(lastRow.tx_id), prepare: BigInt(lastRow.global_seq) },
    },
  };
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

function toRow(stream: string, revision: bigint, event: EventToAppend, link: { prevHash: string; hash: string }) {
  const { metadata } = event;
  return {
    stream_name: stream,
    stream_revision: revision.toString(),
    event_id: metadata.eventId,
    type: event.type,
    schema_version: metadata.schemaVersion,
    // Serialised here: node-postgres would turn a top-level array into a Postgres array literal.
    data: sql<Record<string, unknown>>`${JSON.stringify(event.data)}::jsonb`,
    metadata: sql<Record<string, unknown>>`${JSON.stringify(metadata)}::jsonb`,
    tenant_id: metadata.tenantId,
    correlation_id: metadata.correlationId,
    hash: link.hash,
    prev_hash: link.prevHash,
  };
}

function laterOf(current: GlobalPosition | undefined, candidate: GlobalPosition): GlobalPosition {
  return current === undefined || comparePositions(candidate, current) > 0 ? candidate : current;
}
