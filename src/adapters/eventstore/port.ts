import type { Observable } from 'rxjs';
import type { EventToAppend, GlobalPosition, RecordedEvent } from '../../domain/shared/messages.ts';

/**
 * What the caller believes about the stream before appending.
 * - `no_stream`: the stream must not exist yet.
 * - `stream_exists`: the stream must have at least one event.
 * - `any`: no check.
 * - a bigint: the revision (0-based index) of the stream's last event.
 */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | bigint;

export type AppendResult = {
  /** Revision of the last event now in the stream; pass it as the next expectedRevision. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event appended (or of the already-stored duplicate). */
  readonly position: GlobalPosition;
};

export type ReadStreamOptions = {
  /** First revision to return, inclusive. Default 0. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
};

export type ReadAllOptions = {
  /** Return events strictly after this position. Default: from the very start. */
  readonly after?: GlobalPosition;
  /** Page size. Default 1000. */
  readonly maxCount?: number;
};

export type SubscribeOptions = {
  /** Deliver events strictly after this position: catch up first, then follow live appends. */
  readonly after?: GlobalPosition;
};

/**
 * The one narrow port every event store backend implements (Postgres/PGlite, EventStoreDB).
 * Backends map their driver errors to the errors below inside the adapter.
 *
 * Semantics every backend honours (test/contracts/event-store.contract.ts):
 * - Appending events whose eventIds are already stored, at the same place in the same stream,
 *   writes nothing and returns success (retries are safe).
 * - A missing stream reads as an empty array, never an error.
 * - Global order is gap-free for subscribers: an event becomes visible to readAll/subscribe only
 *   once nothing can ever commit before it.
 * - System/internal events of a backend are never returned by readAll or subscribe.
 */
export interface EventStore {
  append(stream: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribe(options?: SubscribeOptions): Observable<RecordedEvent>;
  /** Cheap liveness check for /health/ready. Rejects with EventStoreUnavailableError when down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or -1n when it does not exist. */
    readonly actual: bigint,
  ) {
    super(`Stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class EventStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}
