/**
 * The EventStore port on EventStoreDB (through @eventstore/db-client 6.x, over gRPC).
 *
 * Each calltrail stream is an ESDB stream of the same name; the global order is ESDB's `$all`
 * log, with ESDB's own (`$`-prefixed) events hidden.
 */
import type { Observable } from 'rxjs';
import { BACKWARDS, END, EventStoreDBClient, START, type ReadStreamOptions as EsdbReadOptions } from '@eventstore/db-client';
import type { EventToAppend, GlobalPosition, RecordedEvent } from '../../domain/shared/messages.ts';
import { START_POSITION, comparePositions } from '../../domain/shared/messages.ts';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from './port.ts';
import { EventStoreUnavailableError } from './port.ts';
import { DEFAULT_ESDB_SETTINGS, redactUrl, validateEsdbUrl, type EsdbSettings } from './esdb-config.ts';
import { isStreamNotFound, toStoreError } from './esdb-errors.ts';
import { toEsdbEvent, toEsdbExpectedRevision, toRecordedEvent } from './esdb-mapping.ts';
import { resumingAllSubscription } from './esdb-subscription.ts';
import { endOfLog, hashAt, readHead, verifyEsdbAll, verifyEsdbStream, withLinks } from './esdb-chain.ts';
import { chainBatch, GENESIS_HASH, type VerifiableEventStore, type VerifyProgress, type VerifyReport } from './hash-chain.ts';
import { WrongExpectedRevisionError } from './port.ts';

const DEFAULT_PAGE_SIZE = 1000;
/** Heads remembered from this process's own appends, so the usual append needs no extra read. */
const HEAD_CACHE_SIZE = 10_000;
/** `any` / `stream_exists` become an exact revision; a writer racing us makes us read and try again. */
const MAX_CHAIN_ATTEMPTS = 10;

type Cancellable = AsyncIterable<unknown> & { cancel(): Promise<void> };

export class EsdbEventStore implements EventStore, VerifiableEventStore {
  private readonly openSubscriptions = new Set<() => void>();
  private readonly heads = new Map<string, { revision: bigint; hash: string }>();
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    /** The URL with any password hidden: safe for messages. */
    readonly where: string,
    private readonly settings: EsdbSettings,
  ) {}

  /**
   * The startup check: one tiny read of `$all`, bounded in time, so an unreachable server stops
   * the process with a message naming it instead of hanging the first request.
   */
  async connect(): Promise<void> {
    try {
      await this.probe();
    } catch (error) {
      throw new EventStoreUnavailableError(
        `Cannot reach EventStoreDB at ${this.where}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  async ping(): Promise<void> {
    return this.connect();
  }

  async append(
    stream: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) {
      // ESDB accepts an empty append but reports no usable revision for it; refuse it plainly.
      throw new Error(`append to ${stream}: no events given`);
    }
    const context = { operation: 'append', where: this.where, stream, expected: expectedRevision };
    try {
      for (let attempt = 1; ; attempt++) {
        const plan = await this.planLinks(stream, events, expectedRevision);
        try {
          const result = await this.client.appendToStream(stream, withLinks(events, plan.links).map(toEsdbEvent), {
            expectedRevision: toEsdbExpectedRevision(plan.expected),
          });
          // An idempotent replay comes back without a position; the duplicate already stored has one.
          const position = result.position ?? (await this.positionOf(stream, result.nextExpectedRevision));
          if (result.position !== undefined) this.remember(stream, result.nextExpectedRevision, plan.links.at(-1)!.hash);
          return { nextExpectedRevision: result.nextExpectedRevision, position };
        } catch (error) {
          // Only a revision we chose ourselves may be retried; the caller's own expectation stands.
          const mapped = toStoreError(error, context);
          if (!(mapped instanceof WrongExpectedRevisionError) || plan.expected === expectedRevision || attempt >= MAX_CHAIN_ATTEMPTS) {
            throw mapped instanceof WrongExpectedRevisionError
              ? new WrongExpectedRevisionError(stream, expectedRevision, mapped.actual)
              : mapped;
          }
        }
      }
    } catch (error) {
      throw toStoreError(error, context);
    }
  }

  /** Recomputes one stream's hash chain; reports the first link that does not hold. */
  async verifyStream(stream: string): Promise<VerifyReport> {
    this.assertOpen();
    try {
      return await verifyEsdbStream(this.client, stream);
    } catch (error) {
      throw toStoreError(error, { operation: 'verify', where: this.where, stream });
    }
  }

  async verifyAll(onProgress?: (progress: VerifyProgress) => void): Promise<VerifyReport> {
    this.assertOpen();
    try {
      return await verifyEsdbAll(this.client, onProgress);
    } catch (error) {
      throw toStoreError(error, { operation: 'verify', where: this.where });
    }
  }

  /** Where the log ends now (for progress estimates); undefined for an empty log. */
  async endPosition(): Promise<GlobalPosition | undefined> {
    this.assertOpen();
    try {
      return await endOfLog(this.client);
    } catch (error) {
      throw toStoreError(error, { operation: 'readAll', where: this.where });
    }
  }

  /**
   * The links for a batch and the expectation to append it with. A retried batch (its ids already in
   * the stream) keeps the caller's expectation so ESDB answers it as a replay and writes nothing.
   */
  private async planLinks(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<{ expected: ExpectedRevision; links: { prevHash: string; hash: string }[] }> {
    if (expected === 'no_stream') return { expected, links: chainBatch(stream, 0n, GENESIS_HASH, events) };
    if (typeof expected === 'bigint') {
      const cached = this.heads.get(stream);
      const previous = cached?.revision === expected ? cached.hash : await hashAt(this.client, stream, expected);
      // A stream that does not reach `expected` fails the append anyway; the links then never land.
      return { expected, links: chainBatch(stream, expected + 1n, previous ?? GENESIS_HASH, events) };
    }
    const head = await readHead(this.client, stream);
    if (head === undefined) {
      if (expected === 'stream_exists') return { expected, links: chainBatch(stream, 0n, GENESIS_HASH, events) };
      return { expected: 'no_stream', links: chainBatch(stream, 0n, GENESIS_HASH, events) };
    }
    const retried = events.some((event) => head.eventIds.has(event.metadata.eventId.toLowerCase()));
    if (retried) return { expected, links: chainBatch(stream, head.revision + 1n, head.hash, events) };
    return { expected: head.revision, links: chainBatch(stream, head.revision + 1n, head.hash, events) };
  }

  private remember(stream: string, revision: bigint, hash: string): void {
    this.heads.delete(stream);
    this.heads.set(stream, { revision, hash });
    if (this.heads.size > HEAD_CACHE_SIZE) this.heads.delete(this.heads.keys().next().value!);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { fromRevision = 0n, maxCount } = options;
    if (maxCount !== undefined && maxCount <= 0) return [];
    const readOptions: EsdbReadOptions = { fromRevision: fromRevision === 0n ? START : fromRevision };
    if (maxCount !== undefined) readOptions.maxCount = maxCount;
    try {
      const events: RecordedEvent[] = [];
      for await (const resolved of this.client.readStream(stream, readOptions)) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
      return events;
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw toStoreError(error, { operation: 'readStream', where: this.where, stream });
    }
  }

  /**
   * ESDB reads `$all` from a position inclusively and counts the system events we hide, so page
   * until we have `maxCount` of ours, skipping anything at or before the cursor.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? DEFAULT_PAGE_SIZE;
    if (maxCount <= 0) return [];
    let floor = options.after && comparePositions(options.after, START_POSITION) !== 0 ? options.after : undefined;
    const events: RecordedEvent[] = [];
    try {
      while (events.length < maxCount) {
        const request = maxCount - events.length + 1;
        let received = 0;
        for await (const resolved of this.client.readAll({ fromPosition: floor ?? START, maxCount: request })) {
          received += 1;
          const position = resolved.event?.position;
          if (!position || (floor && comparePositions(position, floor) <= 0)) continue;
          floor = position;
          const event = toRecordedEvent(resolved);
          if (event && events.length < maxCount) events.push(event);
        }
        if (received < request) break;
      }
      return events;
    } catch (error) {
      throw toStoreError(error, { operation: 'readAll', where: this.where });
    }
  }

  subscribe(options: SubscribeOptions = {}): Observable<RecordedEvent> {
    this.assertOpen();
    return resumingAllSubscription(this.client, {
      after: options.after,
      settings: this.settings,
      where: this.where,
      register: (stop) => {
        this.openSubscriptions.add(stop);
        return () => this.openSubscriptions.delete(stop);
      },
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of [...this.openSubscriptions]) stop();
    this.openSubscriptions.clear();
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`EventStoreDB store for ${this.where} is closed`);
  }

  private async positionOf(stream: string, revision: bigint): Promise<GlobalPosition> {
    const [event] = await this.readStream(stream, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`append to ${stream}: revision ${revision} reported but not readable`);
    return event.position;
  }

  private async probe(): Promise<void> {
    const ms = this.settings.connectTimeoutMs;
    const read = this.client.readAll({ maxCount: 1, fromPosition: END, direction: BACKWARDS });
    await withDeadline(drain(read), ms, `no answer within ${ms} ms`, () => read);
  }
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // Reaching the server is the point; the content does not matter.
  }
}

async function withDeadline(
  work: Promise<void>,
  ms: number,
  message: string,
  onTimeout: () => Cancellable,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void onTimeout()
        .cancel()
        .catch(() => undefined);
      reject(new Error(message));
    }, ms);
  });
  work.catch(() => undefined);
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Validates the URL (a malformed one throws EventStoreConfigError) and builds the store without
 * dialling; call `connect()` at startup to fail fast when the server cannot be reached.
 */
export function createEsdbEventStore(url: string, settings: Partial<EsdbSettings> = {}): EsdbEventStore {
  const client = validateEsdbUrl(url, (valid) => EventStoreDBClient.connectionString(valid));
  return new EsdbEventStore(client, redactUrl(url), { ...DEFAULT_ESDB_SETTINGS, ...settings });
}
