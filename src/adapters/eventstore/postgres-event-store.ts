/*
 * Why positions are (transaction id, sequence) and why readAll hides the newest events.
 *
 * A bigserial alone cannot serve as a subscription checkpoint: numbers are handed out when rows
 * are inserted but become visible when their transaction commits, and those orders differ. If
 * transaction A takes 41, B takes 42 and commits first, a reader that sees 42 and checkpoints it
 * will never look back for 41 once A commits. That reader has silently lost an event.
 *
 * So each event records the id of the transaction that wrote it (pg_current_xact_id()) as
 * `commit`, and the sequence number as `prepare`. readAll and subscribe return only events whose
 * transaction id is below the xmin of the reading statement's snapshot, i.e. below every
 * transaction still in flight. Everything under xmin has finished (committed or rolled back), and
 * every transaction that has not finished — or not yet started — has an id of at least xmin. So
 * nothing can later appear at a position before one already handed out, and a checkpoint of the
 * last position seen never skips an event. Within one transaction the sequence keeps append order.
 *
 * The price: one long-running transaction anywhere in the cluster (xids are cluster-wide) holds
 * back what subscribers see until it ends. Events are delayed, never lost or reordered.
 * readStream has no such wait; a stream is read for a decision, which only needs committed data.
 *
 * Stream revisions are guarded separately: see postgres-append.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { Observable } from 'rxjs';
import { START_POSITION, type EventToAppend, type GlobalPosition, type RecordedEvent } from '../../domain/shared/messages.ts';
import type { Database, Unlisten } from '../db/database.ts';
import {
  EventStoreUnavailableError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  WrongExpectedRevisionError,
} from './port.ts';
import { appendInTransaction, meetsExpectation } from './postgres-append.ts';
import { CoalescedNotify } from './postgres-wake.ts';
import { mapDriverError, sqlStateOf, UNIQUE_VIOLATION } from './postgres-errors.ts';
import { EVENT_COLUMNS, toRecordedEvent } from './postgres-rows.ts';
import { migrateEventStore, type EventStoreTables } from './postgres-schema.ts';
import { LiveTail } from './postgres-live-tail.ts';
import { followAll, type SubscriptionHandle } from './postgres-subscription.ts';
import type { VerifiableEventStore, VerifyProgress, VerifyReport } from './hash-chain.ts';
import { backfillHashChain, countPostgresEvents, verifyPostgresAll, verifyPostgresStream } from './postgres-verify.ts';

export type PostgresEventStoreOptions = {
  /** How other processes' appends are announced; without it, subscribers rely on polling alone. */
  readonly listen?: Database['listen'];
  /** NOTIFY channel shared by every store on the database. Default `calltrail_events`. */
  readonly notifyChannel?: string;
  /**
   * NOTIFY in a statement of its own after each append, coalesced (postgres-wake.ts), instead of
   * inside the append's transaction. For a server with concurrent writers; a single-connection
   * PGlite gains nothing from it. Default false.
   */
  readonly notifyAfterCommit?: boolean;
  /** Subscribers re-read at least this often even when nothing announced an append. Default 250. */
  readonly pollIntervalMs?: number;
  /** Events per read while a subscriber catches up. Default 500. */
  readonly subscriptionPageSize?: number;
  /** Recent events kept in memory for the subscriptions that are caught up. Default 10,000. */
  readonly liveTailCapacity?: number;
};

const DEFAULT_READ_ALL_PAGE = 1000;

/**
 * Event store over any kysely Postgres connection (pg pool or PGlite). It does not own the
 * connection: close() stops this store's subscriptions, and whoever opened the database closes it.
 */
export class PostgresEventStore implements EventStore, VerifiableEventStore {
  private readonly db: Kysely<EventStoreTables>;
  private readonly notifyChannel: string;
  private readonly notify: CoalescedNotify | undefined;
  private readonly subscriptions = new Set<SubscriptionHandle>();
  private unlisten: Promise<Unlisten | undefined> | undefined;
  private tail: LiveTail | undefined;
  private tailPoll: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    db: Kysely<any>,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.db = db as Kysely<EventStoreTables>;
    this.notifyChannel = options.notifyChannel ?? 'calltrail_events';
    if (options.notifyAfterCommit === true) this.notify = new CoalescedNotify(this.db, this.notifyChannel);
  }

  /** Creates or upgrades the store's tables; safe to run from several processes at once. */
  async ensureSchema(): Promise<void> {
    await migrateEventStore(this.db);
    // Events written before the hash chain existed get their links once (a no-op afterwards).
    await backfillHashChain(this.db);
  }

  /** Recomputes one stream's hash chain; reports the first link that does not hold. */
  async verifyStream(stream: string): Promise<VerifyReport> {
    this.assertOpen();
    return verifyPostgresStream(this.db, stream).catch(rethrowMapped);
  }

  async verifyAll(onProgress?: (progress: VerifyProgress) => void): Promise<VerifyReport> {
    this.assertOpen();
    return verifyPostgresAll(this.db, onProgress).catch(rethrowMapped);
  }

  /** How many events the log holds (for progress reporting). */
  async countEvents(): Promise<number> {
    this.assertOpen();
    return countPostgresEvents(this.db).catch(rethrowMapped);
  }

  async append(stream: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertDistinctEventIds(stream, events);
    if (events.length === 0) return this.checkWithoutWriting(stream, expectedRevision);
    let result: AppendResult;
    try {
      // One statement, its own READ COMMITTED transaction (the server's default isolation).
      const notifyChannel = this.notify === undefined ? this.notifyChannel : undefined;
      result = await appendInTransaction(this.db, stream, events, expectedRevision, { notifyChannel });
    } catch (error) {
      throw await this.translateAppendError(error, stream, expectedRevision);
    }
    this.notify?.request();
    this.wakeSubscribers();
    return result;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    let query = this.db
      .selectFrom('es_events')
      .select(EVENT_COLUMNS)
      .where('stream_name', '=', stream)
      .where('stream_revision', '>=', (options.fromRevision ?? 0n).toString())
      .orderBy('stream_revision');
    if (options.maxCount !== undefined) query = query.limit(options.maxCount);
    const rows = await query.execute().catch(rethrowMapped);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = options.after ?? START_POSITION;
    const rows = await this.db
      .selectFrom('es_events')
      .select(EVENT_COLUMNS)
      // The scalar subquery is evaluated once per statement, against that statement's snapshot.
      .where('tx_id', '<', sql<string>`(select pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`)
      .where(sql<boolean>`(tx_id, global_seq) > (${after.commit.toString()}::bigint, ${after.prepare.toString()}::bigint)`)
      .orderBy('tx_id')
      .orderBy('global_seq')
      .limit(options.maxCount ?? DEFAULT_READ_ALL_PAGE)
      .execute()
      .catch(rethrowMapped);
    return rows.map(toRecordedEvent);
  }

  subscribe(options: SubscribeOptions = {}): Observable<RecordedEvent> {
    this.assertOpen();
    const tail = this.liveTail();
    return followAll(
      {
        ready: this.startListening(),
        readAll: (readOptions) => tail.read({ ...readOptions, after: readOptions.after ?? START_POSITION, maxCount: readOptions.maxCount ?? DEFAULT_READ_ALL_PAGE }),
        // Subscribers are woken by the tail once it has read what an append or a poll announced.
        onWake: (wake) => tail.onAdvance(wake),
      },
      {
        ...(options.after !== undefined && { after: options.after }),
        pageSize: this.options.subscriptionPageSize ?? 500,
        pollIntervalMs: this.options.pollIntervalMs ?? 250,
        track: (handle) => {
          this.subscriptions.add(handle);
          void handle.finished.finally(() => this.subscriptions.delete(handle));
        },
      },
    );
  }

  async ping(): Promise<void> {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
    try {
      await sql`select 1`.execute(this.db);
    } catch (error) {
      throw new EventStoreUnavailableError('event store database unreachable', { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.tailPoll);
    this.tail?.stop();
    const running = [...this.subscriptions];
    for (const subscription of running) subscription.complete();
    await Promise.allSettled(running.map((subscription) => subscription.finished));
    await this.notify?.settled();
    const stop = await this.unlisten?.catch(() => undefined);
    await stop?.().catch(() => {});
  }

  /** An empty append only checks the expectation, as EventStoreDB does; nothing is created. */
  private async checkWithoutWriting(stream: string, expected: ExpectedRevision): Promise<AppendResult> {
    const last = await this.db
      .selectFrom('es_events')
      .select(['stream_revision', 'tx_id', 'global_seq'])
      .where('stream_name', '=', stream)
      .orderBy('stream_revision', 'desc')
      .limit(1)
      .executeTakeFirst()
      .catch(rethrowMapped);
    const actual = last === undefined ? -1n : BigInt(last.stream_revision);
    if (!meetsExpectation(expected, actual)) throw new WrongExpectedRevisionError(stream, expected, actual);
    return {
      nextExpectedRevision: actual,
      position: last === undefined ? START_POSITION : { commit: BigInt(last.tx_id), prepare: BigInt(last.global_seq) },
    };
  }

  /**
   * The stream lock makes unique violations impossible in normal operation; if one slips through
   * (say, a writer that bypassed the lock), it is still a conflict and never a driver error.
   */
  private async translateAppendError(error: unknown, stream: string, expected: ExpectedRevision): Promise<unknown> {
    if (sqlStateOf(error) !== UNIQUE_VIOLATION) return mapDriverError(error);
    const current = await this.db
      .selectFrom('es_streams')
      .select('revision')
      .where('stream_name', '=', stream)
      .executeTakeFirst()
      .catch(() => undefined);
    return new WrongExpectedRevisionError(stream, expected, current === undefined ? -1n : BigInt(current.revision));
  }

  private async startListening(): Promise<void> {
    if (this.options.listen === undefined) return;
    // A failed LISTEN only costs latency: the poll still finds every event.
    this.unlisten ??= this.options.listen(this.notifyChannel, () => this.wakeSubscribers()).catch(() => undefined);
    await this.unlisten;
  }

  private wakeSubscribers(): void {
    this.tail?.wake();
  }

  /** Made with the first subscription; it starts once LISTEN is in place, so it misses no wake. */
  private liveTail(): LiveTail {
    if (this.tail) return this.tail;
    const tail = (this.tail = new LiveTail(
      { readAll: (options) => this.readAll(options), headPosition: () => this.headPosition() },
      { capacity: this.options.liveTailCapacity ?? 10_000, pageSize: DEFAULT_READ_ALL_PAGE },
    ));
    void this.startListening().then(() => {
      if (this.closed) return;
      tail.wake();
      // Covers appends nobody announced and events that xmin held back.
      this.tailPoll = setInterval(() => tail.wake(), this.options.pollIntervalMs ?? 250);
      this.tailPoll.unref();
    });
    return tail;
  }

  /** The last event readAll would return now, by the same visibility rule. */
  private async headPosition(): Promise<GlobalPosition> {
    const last = await this.db
      .selectFrom('es_events')
      .select(['tx_id', 'global_seq'])
      .where('tx_id', '<', sql<string>`(select pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`)
      .orderBy('tx_id', 'desc')
      .orderBy('global_seq', 'desc')
      .limit(1)
      .executeTakeFirst()
      .catch(rethrowMapped);
    return last === undefined ? START_POSITION : { commit: BigInt(last.tx_id), prepare: BigInt(last.global_seq) };
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
  }
}

/** Opens the store on a shared Database, wiring LISTEN/NOTIFY and running its migrations. */
export async function createPostgresEventStore(
  database: Database,
  options: Omit<PostgresEventStoreOptions, 'listen'> = {},
): Promise<PostgresEventStore> {
  const store = new PostgresEventStore(database.db, {
    notifyAfterCommit: database.kind === 'postgres',
    ...options,
    listen: database.listen,
  });
  await store.ensureSchema();
  return store;
}

function assertDistinctEventIds(stream: string, events: readonly EventToAppend[]): void {
  const ids = new Set(events.map((event) => event.metadata.eventId));
  if (ids.size !== events.length) throw new Error(`append to ${stream}: the batch repeats an eventId`);
}

function rethrowMapped(error: unknown): never {
  throw mapDriverError(error);
}
