/**
 * The double's storage: one in-memory transaction log, with per-stream indexes, that mimics the
 * EventStoreDB rules the client can observe (expected-version checks, id-based idempotency,
 * log positions). Test double only; nothing in src/ may use it.
 */

export type StoredRecord = {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** 100 ns ticks since the Unix epoch, the unit the server puts in the `created` header. */
  readonly created: bigint;
  /** ESDB's log position. A single-node append without a transaction has commit == prepare. */
  readonly position: bigint;
};

export type ProposedRecord = {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
};

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | {
      readonly kind: 'success';
      /** Last revision covered by this request; -1n when the stream still does not exist. */
      readonly currentRevision: bigint;
      /** Absent for idempotent replays: the real server answers those without a position. */
      readonly position?: bigint;
    }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint };

type Listener = (record: StoredRecord) => void;

const NO_STREAM = -1n;
/** The real server never starts at 0: its own bookkeeping records come first. */
const FIRST_POSITION = 128n;
const RECORD_OVERHEAD = 96n;

export class EventLog {
  private readonly records: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly listeners = new Set<Listener>();
  /** Like the server's committed-events cache: the latest record written under each id. */
  private readonly byId = new Map<string, StoredRecord>();
  private nextPosition = FIRST_POSITION;

  constructor(private readonly now: () => Date = () => new Date()) {}

  lastRevision(streamName: string): bigint {
    const stream = this.streams.get(streamName);
    return stream ? BigInt(stream.length - 1) : NO_STREAM;
  }

  append(streamName: string, expected: ExpectedState, proposed: readonly ProposedRecord[]): AppendOutcome {
    const current = this.lastRevision(streamName);
    const verdict = this.check(streamName, current, expected, proposed);
    if (verdict.kind === 'conflict') return { kind: 'wrong_expected_version', currentRevision: current };
    if (verdict.kind === 'replay') return { kind: 'success', currentRevision: verdict.lastRevision };

    const written = proposed.map((message) => this.store(streamName, message));
    const last = written.at(-1);
    if (!last) return { kind: 'success', currentRevision: current };
    return { kind: 'success', currentRevision: last.revision, position: last.position };
  }

  /**
   * The server's commit check, rule for rule (and quirk for quirk):
   * - an exact revision equal to the current one writes, without looking at the ids at all;
   * - a stale exact revision (no_stream counts as -1) is a replay only when the very same ids sit
   *   right after it, in order; anything else conflicts;
   * - `any` / `stream_exists` look each id up: the first one unknown means a fresh write, a later
   *   one unknown means a conflict, and all of them known in this stream (in any order) is a replay
   *   answered with the revision of the last id of the batch.
   */
  private check(
    streamName: string,
    current: bigint,
    expected: ExpectedState,
    proposed: readonly ProposedRecord[],
  ): { kind: 'write' } | { kind: 'conflict' } | { kind: 'replay'; lastRevision: bigint } {
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      if (expected.kind === 'stream_exists' && current === NO_STREAM) return { kind: 'conflict' };
      let lastRevision: bigint | undefined;
      for (const [index, message] of proposed.entries()) {
        const known = this.byId.get(message.id);
        if (!known || known.streamName !== streamName) return index === 0 ? { kind: 'write' } : { kind: 'conflict' };
        lastRevision = known.revision;
      }
      return lastRevision === undefined ? { kind: 'write' } : { kind: 'replay', lastRevision };
    }

    const expectedRevision = expected.kind === 'no_stream' ? NO_STREAM : expected.revision;
    if (expectedRevision === current) return { kind: 'write' };
    if (expectedRevision > current || proposed.length === 0) return { kind: 'conflict' };
    const stream = this.streams.get(streamName) ?? [];
    const from = Number(expectedRevision + 1n);
    const replayed = proposed.every((message, offset) => stream[from + offset]?.id === message.id);
    return replayed ? { kind: 'replay', lastRevision: BigInt(from + proposed.length - 1) } : { kind: 'conflict' };
  }

  private store(streamName: string, message: ProposedRecord): StoredRecord {
    const stream = this.streams.get(streamName) ?? [];
    const record: StoredRecord = {
      ...message,
      streamName,
      revision: BigInt(stream.length),
      created: BigInt(this.now().getTime()) * 10_000n,
      position: this.nextPosition,
    };
    this.nextPosition += RECORD_OVERHEAD + BigInt(message.data.length + message.customMetadata.length);
    stream.push(record);
    this.streams.set(streamName, stream);
    this.records.push(record);
    this.byId.set(record.id, record);
    for (const listener of this.listeners) listener(record);
    return record;
  }

  /** Events of one stream from `fromRevision` (inclusive), or undefined when the stream does not exist. */
  readStream(streamName: string, fromRevision: bigint, count: number): StoredRecord[] | undefined {
    const stream = this.streams.get(streamName);
    if (!stream) return undefined;
    return stream.slice(Number(fromRevision), Number(fromRevision) + count);
  }

  /** $all forwards from `fromPosition`, inclusive, like the server's read (not its subscription). */
  readAllForwards(fromPosition: bigint, count: number): StoredRecord[] {
    const start = this.records.findIndex((record) => record.position >= fromPosition);
    if (start === -1) return [];
    return this.records.slice(start, start + count);
  }

  readAllBackwards(beforePosition: bigint, count: number): StoredRecord[] {
    const older = this.records.filter((record) => record.position < beforePosition);
    return older.slice(Math.max(0, older.length - count)).reverse();
  }

  /**
   * Test-only: rewrites a stored record in place, as someone with access to the server's files
   * could, bypassing every rule above. Returns false when there is no such record.
   */
  tamper(streamName: string, revision: bigint, change: (record: StoredRecord) => Partial<Pick<StoredRecord, 'type' | 'data' | 'customMetadata'>>): boolean {
    const stream = this.streams.get(streamName);
    const index = Number(revision);
    const original = stream?.[index];
    if (!stream || !original) return false;
    const altered: StoredRecord = { ...original, ...change(original) };
    stream[index] = altered;
    this.records[this.records.indexOf(original)] = altered;
    if (this.byId.get(original.id) === original) this.byId.set(original.id, altered);
    return true;
  }

  get endPosition(): bigint {
    return this.nextPosition;
  }

  snapshot(): StoredRecord[] {
    return [...this.records];
  }

  /** Called synchronously right after each write; returns the unsubscribe function. */
  onAppended(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
