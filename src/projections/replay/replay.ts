/**
 * Rebuilding read models from the log without stopping the API.
 *
 * 1. Every chosen projection is migrated into a FRESH schema and fed the whole log there, one
 *    transaction per page, each with that schema's own checkpoint. Projections need not know:
 *    each transaction sets `search_path` to the fresh schema (SET LOCAL), so their unqualified
 *    names — raw SQL included — land there, while the live engine keeps using its own tables.
 * 2. Without a stop point, the new tables are then swapped in, in one transaction: lock the live
 *    tables (live projection runners wait; readers wait a moment and then read the new tables),
 *    make sure no live runner has applied anything the fresh tables lack, move the old tables to a
 *    throw-away schema and the new ones into the live schema, and set the live checkpoints to what
 *    the new tables hold. A live runner that resumes behind that point re-applies events, which
 *    projections absorb (their writes are guarded by stream revision).
 * 3. With a stop point (`until`) the fresh schema is the result: the read models as they were at
 *    that point in the log, for investigation. Nothing live is touched.
 */
import { sql, type Kysely } from 'kysely';
import type { EventStore } from '../../adapters/eventstore/port.ts';
import { comparePositions, START_POSITION, type GlobalPosition, type RecordedEvent } from '../../domain/shared/messages.ts';
import { loadCheckpoint, migrateCheckpoints, saveCheckpoint } from '../checkpoints.ts';
import { checkpointName, type Projection } from '../projection.ts';
import { assertSchemaName, currentSchema, inSchema, quoteIdent, ReplayError, schemaExists, tablesIn, uniqueSchemaName } from './fresh-schema.ts';

export type ReplayStop = { readonly position?: GlobalPosition; readonly time?: Date };

export type ReplayProgress = {
  readonly phase: 'replaying' | 'catching-up' | 'swapping' | 'done';
  /** Events read from the log so far (every event, whether a projection wanted it or not). */
  readonly events: number;
  readonly position: GlobalPosition;
};

export type ReplayOptions = {
  readonly db: Kysely<any>;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  /** Schema to build in. Default: a new `calltrail_rebuild_…` (swap) or `calltrail_replay_…` (stop point). */
  readonly schema?: string;
  /** Stop here instead of at the end of the log; the result stays in its schema and is not swapped in. */
  readonly until?: ReplayStop;
  /** Events per read and per transaction. Default 2000. */
  readonly batchSize?: number;
  /** For naming the schema; time is injected like everywhere else. */
  readonly now: Date;
  readonly onProgress?: (progress: ReplayProgress) => void;
};

export type ReplayResult = {
  readonly schema: string;
  readonly events: number;
  /** Position of the last event the read models include (null: the log was empty). */
  readonly position: GlobalPosition | null;
  /** Tables built (and, when swapped, now live). */
  readonly tables: readonly string[];
  readonly swapped: boolean;
  /** Why it stopped: the log's end, or the requested position / time. */
  readonly stoppedAt: 'end' | 'position' | 'time';
};

const SWAP_ATTEMPTS = 20;

export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { db, store, projections } = options;
  if (projections.length === 0) throw new ReplayError('no projection to replay');
  const investigating = options.until !== undefined;
  const schema = options.schema === undefined
    ? uniqueSchemaName(investigating ? 'calltrail_replay' : 'calltrail_rebuild', options.now)
    : assertSchemaName(options.schema);
  const live = await currentSchema(db);
  if (schema === live) throw new ReplayError(`schema ${schema} is the live schema; choose another`);
  if (await schemaExists(db, schema)) throw new ReplayError(`schema ${schema} already exists; choose another name or drop it first`);

  await sql`create schema ${sql.id(schema)}`.execute(db);
  const feeder = new Feeder(db, store, projections, schema, options);
  try {
    await inSchema(db, schema, async (trx) => {
      await migrateCheckpoints(trx);
      for (const projection of projections) await projection.migrate(trx);
    });
    const tables = (await tablesIn(db, schema)).filter((table) => table !== 'checkpoints');

    const stoppedAt = await feeder.feedToEnd('replaying');
    if (investigating) {
      options.onProgress?.({ phase: 'done', events: feeder.events, position: feeder.position ?? START_POSITION });
      return { schema, events: feeder.events, position: feeder.position, tables, swapped: false, stoppedAt };
    }

    await swapIn(db, feeder, { live, schema, tables, projections, onProgress: options.onProgress });
    options.onProgress?.({ phase: 'done', events: feeder.events, position: feeder.position ?? START_POSITION });
    return { schema, events: feeder.events, position: feeder.position, tables, swapped: true, stoppedAt: 'end' };
  } catch (error) {
    // A failed rebuild leaves nothing behind; a failed investigation neither.
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db).catch(() => undefined);
    throw error;
  }
}

/** Reads the log from where the fresh schema stands and applies it there, page by page. */
class Feeder {
  events = 0;
  position: GlobalPosition | null = null;
  private readonly batchSize: number;

  constructor(
    private readonly db: Kysely<any>,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly schema: string,
    private readonly options: ReplayOptions,
  ) {
    this.batchSize = options.batchSize ?? 2000;
  }

  async feedToEnd(phase: ReplayProgress['phase']): Promise<'end' | 'position' | 'time'> {
    for (;;) {
      const page = await this.store.readAll({ after: this.position ?? START_POSITION, maxCount: this.batchSize });
      const { events, stop } = this.cut(page);
      if (events.length > 0) await this.apply(events);
      this.options.onProgress?.({ phase, events: this.events, position: this.position ?? START_POSITION });
      if (stop !== undefined) return stop;
      if (page.length < this.batchSize) return 'end';
    }
  }

  /** The part of a page before the stop point, and whether the stop point was reached. */
  private cut(page: readonly RecordedEvent[]): { events: readonly RecordedEvent[]; stop?: 'position' | 'time' } {
    const until = this.options.until;
    if (until === undefined) return { events: page };
    const limit = until.time?.getTime();
    for (let index = 0; index < page.length; index++) {
      const event = page[index]!;
      if (until.position !== undefined && comparePositions(event.position, until.position) > 0) {
        return { events: page.slice(0, index), stop: 'position' };
      }
      if (limit !== undefined && Date.parse(event.metadata.occurredAt) > limit) {
        return { events: page.slice(0, index), stop: 'time' };
      }
    }
    return { events: page };
  }

  private async apply(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.at(-1)!.position;
    await inSchema(this.db, this.schema, async (trx) => {
      for (const projection of this.projections) {
        const wanted = events.filter((event) => projection.accepts(event));
        if (wanted.length > 0) await projection.apply(trx, wanted);
        await saveCheckpoint(trx, checkpointName(projection), last);
      }
    });
    this.events += events.length;
    this.position = last;
  }
}

class LiveRunnerAhead extends Error {}

const isDeadlock = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '40P01';

async function swapIn(
  db: Kysely<any>,
  feeder: Feeder,
  target: { live: string; schema: string; tables: readonly string[]; projections: readonly Projection[]; onProgress: ReplayOptions['onProgress'] },
): Promise<void> {
  const { live, schema, tables, projections } = target;
  const archive = `${schema}_old`.slice(0, 63);
  for (let attempt = 1; ; attempt++) {
    await feeder.feedToEnd('catching-up');
    target.onProgress?.({ phase: 'swapping', events: feeder.events, position: feeder.position ?? START_POSITION });
    try {
      await db.transaction().execute(async (trx) => {
        const liveTables = new Set(await tablesIn(trx, live));
        const replaced = tables.filter((table) => liveTables.has(table));
        if (replaced.length > 0) {
          // Waits for a live runner's batch in flight; holds every later one until commit.
          await sql`lock table ${sql.join(replaced.map((table) => sql.table(`${live}.${table}`)))} in access exclusive mode`.execute(trx);
        }
        if (liveTables.has('checkpoints')) {
          for (const projection of projections) {
            const applied = await loadCheckpoint(trx.withSchema(live), checkpointName(projection));
            if (feeder.position === null ? comparePositions(applied, START_POSITION) > 0 : comparePositions(applied, feeder.position) > 0) {
              throw new LiveRunnerAhead();
            }
          }
        } else {
          await migrateCheckpoints(trx.withSchema(live));
        }
        await sql`create schema ${sql.id(archive)}`.execute(trx);
        for (const table of replaced) await sql.raw(`alter table ${quoteIdent(live)}.${quoteIdent(table)} set schema ${quoteIdent(archive)}`).execute(trx);
        for (const table of tables) await sql.raw(`alter table ${quoteIdent(schema)}.${quoteIdent(table)} set schema ${quoteIdent(live)}`).execute(trx);
        if (feeder.position !== null) {
          for (const projection of projections) await saveCheckpoint(trx.withSchema(live), checkpointName(projection), feeder.position);
        }
      });
      break;
    } catch (error) {
      // Postgres broke a lock cycle with a live runner's batch by aborting us; nothing was swapped.
      if (isDeadlock(error) && attempt < SWAP_ATTEMPTS) continue;
      // A live runner applied events the fresh tables have not seen yet: read them too, and retry.
      if (!(error instanceof LiveRunnerAhead) || attempt >= SWAP_ATTEMPTS) {
        if (error instanceof LiveRunnerAhead) throw new ReplayError(`the live read models kept moving ahead; gave up after ${attempt} attempts`);
        throw error;
      }
    }
  }
  await sql`drop schema if exists ${sql.id(archive)} cascade`.execute(db);
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
}
