import { sql, type Kysely, type Selectable } from 'kysely';
import { ChainChecker, eventHash, GENESIS_HASH, type BrokenLink, type StoredLink, type VerifyProgress, type VerifyReport } from './hash-chain.ts';
import type { EventRow, EventStoreTables } from './postgres-schema.ts';

const PAGE = 5_000;

/** A stored event row as the chain check reads it. */
type LinkRow = Selectable<EventRow>;

const LINK_COLUMNS = [
  'global_seq', 'tx_id', 'stream_name', 'stream_revision', 'event_id', 'type', 'schema_version', 'data', 'metadata',
  'tenant_id', 'correlation_id', 'hash', 'prev_hash',
] as const;

/**
 * The columns kept beside the metadata for indexing must say what the metadata says; a row edited
 * in one place and not the other is tampering too.
 */
function toLink(row: LinkRow): StoredLink {
  const metadata = row.metadata;
  const disagreeing = (
    [
      ['event_id', row.event_id, metadata['eventId']],
      ['tenant_id', row.tenant_id, metadata['tenantId']],
      ['correlation_id', row.correlation_id, metadata['correlationId']],
      ['schema_version', row.schema_version, metadata['schemaVersion']],
    ] as const
  ).find(([, column, inMetadata]) => column !== inMetadata);
  return {
    stream: row.stream_name,
    revision: BigInt(row.stream_revision),
    type: row.type,
    data: row.data,
    metadata,
    position: { commit: BigInt(row.tx_id), prepare: BigInt(row.global_seq) },
    storedHash: row.hash,
    storedPrevHash: row.prev_hash,
    ...(disagreeing !== undefined && { problem: `column ${disagreeing[0]} disagrees with the event's metadata` }),
  };
}

/**
 * One stream, its events and its head row read in one snapshot (repeatable read), so an append
 * landing between the two reads cannot make the stream look truncated.
 */
export async function verifyPostgresStream(db: Kysely<EventStoreTables>, stream: string): Promise<VerifyReport> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((snapshot) => verifyStreamIn(snapshot, stream));
}

async function verifyStreamIn(db: Kysely<EventStoreTables>, stream: string): Promise<VerifyReport> {
  const checker = new ChainChecker();
  let after = -1n;
  for (;;) {
    const rows = (await db
      .selectFrom('es_events')
      .select(LINK_COLUMNS)
      .where('stream_name', '=', stream)
      .where('stream_revision', '>', after.toString())
      .orderBy('stream_revision')
      .limit(PAGE)
      .execute()) as LinkRow[];
    for (const row of rows) {
      const broken = checker.check(toLink(row));
      if (broken) return report(checker, broken);
    }
    if (rows.length < PAGE) break;
    after = BigInt(rows.at(-1)!.stream_revision);
  }
  const head = await db.selectFrom('es_streams').select(['stream_name', 'revision', 'last_hash']).where('stream_name', '=', stream).execute();
  return report(checker, checkHeads(checker, head));
}

/**
 * Every stream, one after another in name order (the unique index serves it; global order could
 * interleave two appenders of one stream whose transaction ids were taken in the other order),
 * then every stream's head row.
 */
export async function verifyPostgresAll(
  db: Kysely<EventStoreTables>,
  onProgress?: (progress: VerifyProgress) => void,
): Promise<VerifyReport> {
  const checker = new ChainChecker();
  let after: { stream: string; revision: string } | undefined;
  for (;;) {
    let query = db.selectFrom('es_events').select(LINK_COLUMNS).orderBy('stream_name').orderBy('stream_revision').limit(PAGE);
    if (after !== undefined) {
      query = query.where(sql<boolean>`(stream_name, stream_revision) > (${after.stream}, ${after.revision}::bigint)`);
    }
    const rows = (await query.execute()) as LinkRow[];
    for (const row of rows) {
      const broken = checker.check(toLink(row));
      if (broken) return report(checker, broken);
    }
    const last = rows.at(-1);
    if (last) after = { stream: last.stream_name, revision: last.stream_revision };
    onProgress?.({ checked: checker.checked });
    if (rows.length < PAGE) break;
  }
  const heads = await db.selectFrom('es_streams').select(['stream_name', 'revision', 'last_hash']).where('revision', '>=', '0').execute();
  // The scan is not one snapshot (it would hold PGlite's only connection for the whole log): a
  // stream appended to since its events were read disagrees with its head. Such a stream is
  // checked again on its own, in a snapshot, and only a disagreement that stays is reported.
  for (let remaining = heads; ; ) {
    const broken = checkHeads(checker, remaining);
    if (!broken) return report(checker, undefined);
    const again = await verifyPostgresStream(db, broken.stream);
    if (!again.ok) return report(checker, again.firstBroken);
    remaining = remaining.slice(remaining.findIndex((head) => head.stream_name === broken.stream) + 1);
  }
}

/** A stream whose newest events were deleted still has intact links: its head row gives it away. */
function checkHeads(
  checker: ChainChecker,
  heads: readonly { stream_name: string; revision: string; last_hash: string | null }[],
): BrokenLink | undefined {
  for (const head of heads) {
    const revision = BigInt(head.revision);
    if (revision < 0n) continue;
    const tail = checker.tail(head.stream_name);
    const seen = tail?.revision ?? -1n;
    if (seen < revision) {
      return { stream: head.stream_name, revision: seen + 1n, reason: `events up to revision ${revision} were written but ${seen + 1n} onwards are missing` };
    }
    if (seen > revision) {
      return { stream: head.stream_name, revision: revision + 1n, reason: `the stream head says revision ${revision} but events go on to ${seen}` };
    }
    if (head.last_hash !== null && tail !== undefined && head.last_hash !== tail.hash) {
      return { stream: head.stream_name, revision, reason: "the stream head's hash does not match its last event" };
    }
  }
  return undefined;
}

function report(checker: ChainChecker, broken: BrokenLink | undefined): VerifyReport {
  return broken
    ? { ok: false, checked: checker.checked, streams: checker.streams, firstBroken: broken }
    : { ok: true, checked: checker.checked, streams: checker.streams };
}

/**
 * Rows written before the hash chain existed get their hashes once, stream by stream, each stream
 * in one transaction under its stream lock so a concurrent append cannot interleave.
 */
export async function backfillHashChain(db: Kysely<EventStoreTables>): Promise<number> {
  let filled = 0;
  for (;;) {
    const pending = await db.selectFrom('es_events').select('stream_name').where('hash', 'is', null).limit(1).executeTakeFirst();
    if (!pending) return filled;
    filled += await db.transaction().execute(async (trx) => {
      await trx.selectFrom('es_streams').select('stream_name').where('stream_name', '=', pending.stream_name).forUpdate().execute();
      const rows = await trx
        .selectFrom('es_events')
        .select(['global_seq', 'stream_revision', 'type', 'data', 'metadata'])
        .where('stream_name', '=', pending.stream_name)
        .orderBy('stream_revision')
        .execute();
      let prev = GENESIS_HASH;
      for (const row of rows) {
        const hash = eventHash(prev, {
          stream: pending.stream_name,
          revision: BigInt(row.stream_revision),
          type: row.type,
          data: row.data,
          metadata: row.metadata,
        });
        await trx.updateTable('es_events').set({ hash, prev_hash: prev }).where('global_seq', '=', row.global_seq).execute();
        prev = hash;
      }
      await trx.updateTable('es_streams').set({ last_hash: prev }).where('stream_name', '=', pending.stream_name).execute();
      return rows.length;
    });
  }
}

/** Exact count of stored events; cheap enough for a progress bar's total. */
export async function countPostgresEvents(db: Kysely<EventStoreTables>): Promise<number> {
  const row = await db.selectFrom('es_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
