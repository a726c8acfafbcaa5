import type { Kysely } from 'kysely';
import { bufferTime, filter, concatMap, tap, type Subscription } from 'rxjs';
import type { EventStore } from '../adapters/eventstore/port.ts';
import { comparePositions, START_POSITION, type GlobalPosition, type RecordedEvent } from '../domain/shared/messages.ts';
import { deleteCheckpoint, loadCheckpoint, migrateCheckpoints, saveCheckpoint } from './checkpoints.ts';
import { checkpointName, type Projection } from './projection.ts';

export type RunnerOptions = {
  /** Events per transaction while catching up. */
  readonly batchSize?: number;
  /** How long live events are gathered into one transaction. */
  readonly liveBatchMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Called after each committed batch; used by progress reporting. */
  readonly onBatch?: (info: { projection: string; events: number; position: GlobalPosition }) => void;
};

/** How long a checkpoint that only moved past skipped events may stay unstored. */
const SKIPPED_CHECKPOINT_EVERY_MS = 5_000;

type Waiter = { position: GlobalPosition; resolve: () => void };

/**
 * Feeds one projection from the log. Catch-up reads pages with readAll (the database paces us),
 * then it follows the live subscription in small time-boxed batches. Every batch and its
 * checkpoint commit in one transaction; on restart it resumes from the checkpoint.
 */
export class ProjectionRunner {
  private checkpoint: GlobalPosition | null = null;
  private live: Subscription | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  /** The checkpoint moved past events this projection skips, and is not stored yet. */
  private unsaved = false;
  private savedAt = Number.NEGATIVE_INFINITY;
  /** Live events this projection applies that have arrived and are not committed yet. */
  private unapplied = 0;
  private readonly waiters = new Set<Waiter>();
  private readonly name: string;
  private readonly batchSize: number;
  private readonly liveBatchMs: number;

  constructor(
    private readonly db: Kysely<any>,
    private readonly store: EventStore,
    private readonly projection: Projection,
    private readonly options: RunnerOptions = {},
  ) {
    this.name = checkpointName(projection);
    this.batchSize = options.batchSize ?? 500;
    this.liveBatchMs = options.liveBatchMs ?? 10;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await migrateCheckpoints(this.db);
    await this.projection.migrate(this.db);
    this.checkpoint = await loadCheckpoint(this.db, this.name);
    if (comparePositions(this.checkpoint, START_POSITION) === 0) {
      // Nothing applied under this version yet: rows an older version left behind are emptied,
      // so a version bump really rebuilds instead of folding onto stale rows.
      await this.db.transaction().execute((trx) => this.projection.reset(trx));
    }
    this.running = true;
    this.loop = this.catchUpThenFollow().catch((error) => this.fail(error));
  }

  private restart(): void {
    this.retryTimer = null;
    if (!this.running) return;
    this.loop = loadCheckpoint(this.db, this.name)
      .then((checkpoint) => {
        this.checkpoint = checkpoint;
        return this.catchUpThenFollow();
      })
      .catch((error) => this.fail(error));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.live?.unsubscribe();
    this.live = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.loop;
    await this.inFlight.catch(() => undefined);
    this.loop = null;
    if (this.unsaved && this.checkpoint) {
      await saveCheckpoint(this.db, this.name, this.checkpoint).catch(() => undefined);
      this.unsaved = false;
    }
  }

  /** Drops the read model and replays the whole log into it. */
  async rebuild(): Promise<void> {
    const wasRunning = this.running;
    await this.stop();
    await migrateCheckpoints(this.db);
    await this.projection.migrate(this.db);
    await this.db.transaction().execute(async (trx) => {
      await this.projection.reset(trx);
      await deleteCheckpoint(trx, this.name);
    });
    this.checkpoint = null;
    if (wasRunning) await this.start();
  }

  /** Resolves once everything up to `position` is in the read model. */
  waitFor(position: GlobalPosition, timeoutMs = 10_000): Promise<void> {
    if (this.checkpoint && comparePositions(this.checkpoint, position) >= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { position, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`projection ${this.name} did not reach the position within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref?.();
      this.waiters.add(waiter);
    });
  }

  /** Like waitFor, but answers false when `timeoutMs` passes first: for callers that go on either way. */
  reached(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    return this.waitFor(position, timeoutMs).then(
      () => true,
      () => false,
    );
  }

  /** The name its checkpoint is stored under. */
  get checkpointName(): string {
    return this.name;
  }

  get projectionName(): string {
    return this.projection.name;
  }

  get position(): GlobalPosition | null {
    return this.checkpoint;
  }

  private async catchUpThenFollow(): Promise<void> {
    while (this.running) {
      const page = await this.store.readAll({ after: this.checkpoint!, maxCount: this.batchSize });
      if (page.length > 0) await this.commit(page);
      if (page.length < this.batchSize) break;
    }
    if (!this.running) return;
    this.unapplied = 0;
    this.live = this.store
      .subscribe({ after: this.checkpoint! })
      .pipe(
        tap((event) => this.arrived(event)),
        bufferTime(this.liveBatchMs, null, this.batchSize),
        filter((batch) => batch.length > 0),
        concatMap((batch) => (this.inFlight = this.commit(batch).then(() => {
          this.unapplied -= batch.filter((event) => this.projection.accepts(event)).length;
        }))),
      )
      .subscribe({ error: (error) => this.fail(error) });
  }

  /**
   * A live event this projection skips, with nothing it applies still waiting before it: the read
   * model already shows the log up to it, so the checkpoint moves at once and its waiters go on
   * (the do-not-call check before each dial waits so), instead of after the batch's timer and
   * the commits queued ahead of it. Stored as skipped checkpoints are (see commit).
   */
  private arrived(event: RecordedEvent): void {
    if (this.projection.accepts(event)) {
      this.unapplied++;
      return;
    }
    if (this.unapplied > 0 || comparePositions(event.position, this.checkpoint!) <= 0) return;
    this.checkpoint = event.position;
    this.unsaved = true;
    this.release();
  }

  private async commit(batch: readonly RecordedEvent[]): Promise<void> {
    const fresh = batch.filter((event) => comparePositions(event.position, this.checkpoint!) > 0);
    const last = fresh.at(-1);
    if (!last) {
      // Every event was skipped as it arrived: the checkpoint is stored now and then all the same.
      if (this.unsaved && performance.now() - this.savedAt >= SKIPPED_CHECKPOINT_EVERY_MS) await this.saveSkipped();
      return;
    }
    const wanted = fresh.filter((event) => this.projection.accepts(event));
    if (wanted.length === 0 && performance.now() - this.savedAt < SKIPPED_CHECKPOINT_EVERY_MS) {
      // Nothing to write: the checkpoint moves in memory, and is stored with the next write, the
      // next save due, or at stop. A restart before that reads these events again and skips them again.
      this.checkpoint = last.position;
      this.unsaved = true;
    } else {
      await this.db.transaction().execute(async (trx) => {
        if (wanted.length > 0) await this.projection.apply(trx, wanted);
        await saveCheckpoint(trx, this.name, last.position);
      });
      this.checkpoint = last.position;
      this.unsaved = false;
      this.savedAt = performance.now();
    }
    this.failures = 0;
    this.options.onBatch?.({ projection: this.name, events: fresh.length, position: last.position });
    this.release();
  }

  private async saveSkipped(): Promise<void> {
    const position = this.checkpoint!;
    await saveCheckpoint(this.db, this.name, position);
    if (this.checkpoint === position) this.unsaved = false;
    this.savedAt = performance.now();
  }

  /** Resolves the waiters the checkpoint has reached. */
  private release(): void {
    for (const waiter of this.waiters) {
      if (comparePositions(this.checkpoint!, waiter.position) >= 0) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** A failed batch rolled back with its checkpoint; start again from the stored checkpoint after a pause. */
  private fail(error: unknown): void {
    this.live?.unsubscribe();
    this.live = null;
    if (this.options.onError) this.options.onError(error);
    else console.error(`projection ${this.name} failed, retrying:`, error instanceof Error ? error.message : error);
    if (!this.running || this.retryTimer) return;
    this.failures++;
    const delay = Math.min(100 * 2 ** this.failures, 5_000);
    this.retryTimer = setTimeout(() => this.restart(), delay);
    this.retryTimer.unref?.();
  }
}
