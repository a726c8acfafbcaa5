/**
 * The hash chain on EventStoreDB. ESDB has no server-side hook, so the adapter computes each link
 * from the stream's head as read just before appending, and the append's expected revision makes
 * sure nobody wrote in between: an exact revision fails if the head moved, and `any` /
 * `stream_exists` are turned into the exact revision that was read (and retried on a conflict).
 *
 * The links live in the event's custom metadata under `$calltrailHash` / `$calltrailPrevHash`;
 * the `$` keeps them apart from calltrail's own metadata, which readers never see them in.
 */
import { BACKWARDS, END, START, type EventStoreDBClient, type ResolvedEvent } from '@eventstore/db-client';
import type { EventToAppend } from '../../domain/shared/messages.ts';
import { isStreamNotFound } from './esdb-errors.ts';
import { isSystemEvent } from './esdb-mapping.ts';
import { ChainChecker, GENESIS_HASH, type BrokenLink, type StoredLink, type VerifyProgress, type VerifyReport } from './hash-chain.ts';

export const HASH_KEY = '$calltrailHash';
export const PREV_HASH_KEY = '$calltrailPrevHash';
/** Copies ESDB's own projections read; not part of what calltrail appended, so not hashed. */
const ESDB_COPIES = { $correlationId: 'correlationId', $causationId: 'causationId' } as const;

const PAGE = 1_000;

export type ChainHead = { readonly revision: bigint; readonly hash: string; readonly eventIds: ReadonlySet<string> };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function hashOf(resolved: ResolvedEvent): string {
  const metadata = resolved.event?.metadata;
  const hash = isRecord(metadata) ? metadata[HASH_KEY] : undefined;
  return typeof hash === 'string' ? hash : GENESIS_HASH;
}

/**
 * Every loop over a read here runs to the end of what it asked for: leaving a for-await early
 * leaves the client's gRPC call half-consumed, and the client then cannot close cleanly.
 */
async function collect(read: AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const out: ResolvedEvent[] = [];
  for await (const resolved of read) out.push(resolved);
  return out;
}

async function readStreamPage(client: EventStoreDBClient, stream: string, from: bigint, maxCount: number): Promise<ResolvedEvent[]> {
  try {
    return await collect(client.readStream(stream, { fromRevision: from === 0n ? START : from, maxCount }));
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
}

/** The hash of the event at `revision`, or undefined when the stream does not reach it. */
export async function hashAt(client: EventStoreDBClient, stream: string, revision: bigint): Promise<string | undefined> {
  const [resolved] = await readStreamPage(client, stream, revision, 1);
  return resolved?.event?.revision === revision ? hashOf(resolved) : undefined;
}

/**
 * The stream's head and every event id in it (for `any` / `stream_exists`, which must recognise a
 * retried batch before turning into an exact revision); undefined for a missing stream.
 */
export async function readHead(client: EventStoreDBClient, stream: string): Promise<ChainHead | undefined> {
  const ids = new Set<string>();
  let last: ResolvedEvent | undefined;
  for (let from = 0n; ; ) {
    const page = await readStreamPage(client, stream, from, PAGE);
    for (const resolved of page) {
      if (!resolved.event) continue;
      ids.add(resolved.event.id.toLowerCase());
      const metadata = resolved.event.metadata;
      if (isRecord(metadata) && typeof metadata['eventId'] === 'string') ids.add(metadata['eventId'].toLowerCase());
      last = resolved;
    }
    if (page.length < PAGE || !last?.event) break;
    from = last.event.revision + 1n;
  }
  if (!last?.event) return undefined;
  return { revision: last.event.revision, hash: hashOf(last), eventIds: ids };
}

/** The metadata as calltrail appended it: ESDB's copies and the links taken out. */
export function appendedMetadata(raw: Record<string, unknown>): { metadata: Record<string, unknown>; problem?: string } {
  const metadata: Record<string, unknown> = {};
  let problem: string | undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (key === HASH_KEY || key === PREV_HASH_KEY) continue;
    if (key in ESDB_COPIES) continue;
    metadata[key] = value;
  }
  for (const [copy, original] of Object.entries(ESDB_COPIES)) {
    if (copy in raw && raw[copy] !== raw[original]) problem = `metadata ${copy} disagrees with ${original}`;
  }
  return problem === undefined ? { metadata } : { metadata, problem };
}

function toLink(resolved: ResolvedEvent): StoredLink | undefined {
  const event = resolved.event;
  if (!event || isSystemEvent(event.streamId, event.type)) return undefined;
  const raw = isRecord(event.metadata) ? event.metadata : {};
  const { metadata, problem } = appendedMetadata(raw);
  const storedHash = raw[HASH_KEY];
  const storedPrevHash = raw[PREV_HASH_KEY];
  return {
    stream: event.streamId,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata,
    ...(event.position && { position: { commit: event.position.commit, prepare: event.position.prepare } }),
    storedHash: typeof storedHash === 'string' ? storedHash : null,
    storedPrevHash: typeof storedPrevHash === 'string' ? storedPrevHash : null,
    ...(problem !== undefined && { problem }),
    ...(!event.isJson && { problem: 'the event is not JSON' }),
  };
}

function report(checker: ChainChecker, broken: BrokenLink | undefined): VerifyReport {
  return broken
    ? { ok: false, checked: checker.checked, streams: checker.streams, firstBroken: broken }
    : { ok: true, checked: checker.checked, streams: checker.streams };
}

export async function verifyEsdbStream(client: EventStoreDBClient, stream: string): Promise<VerifyReport> {
  const checker = new ChainChecker();
  for (let from = 0n; ; ) {
    const page = await readStreamPage(client, stream, from, PAGE);
    for (const resolved of page) {
      const link = toLink(resolved);
      if (!link) continue;
      const broken = checker.check(link);
      if (broken) return report(checker, broken);
    }
    const last = page.at(-1)?.event;
    if (page.length < PAGE || !last) break;
    from = last.revision + 1n;
  }
  return report(checker, undefined);
}

/** `$all` in log order: on ESDB a stream's events always appear there in revision order. */
export async function verifyEsdbAll(
  client: EventStoreDBClient,
  onProgress?: (progress: VerifyProgress) => void,
): Promise<VerifyReport> {
  const checker = new ChainChecker();
  let from: { commit: bigint; prepare: bigint } | undefined;
  for (;;) {
    // Reads from a position are inclusive: ask for one more and skip the event already checked.
    const page = await collect(client.readAll({ fromPosition: from ?? START, maxCount: PAGE + 1 }));
    let fresh = 0;
    for (const resolved of page) {
      const position = resolved.event?.position;
      if (!position || (from && position.commit === from.commit && position.prepare === from.prepare)) continue;
      fresh += 1;
      from = { commit: position.commit, prepare: position.prepare };
      const link = toLink(resolved);
      if (!link) continue;
      const broken = checker.check(link);
      if (broken) return report(checker, broken);
    }
    onProgress?.({ checked: checker.checked });
    if (fresh === 0 || page.length < PAGE + 1) break;
  }
  return report(checker, undefined);
}

/** The log's end, for progress estimates: the position after which nothing is stored yet. */
export async function endOfLog(client: EventStoreDBClient): Promise<{ commit: bigint; prepare: bigint } | undefined> {
  const [resolved] = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
  const position = resolved?.event?.position;
  return position ? { commit: position.commit, prepare: position.prepare } : undefined;
}

/** Metadata to store for each event of a batch, links included. */
export function withLinks(events: readonly EventToAppend[], links: readonly { prevHash: string; hash: string }[]): EventToAppend[] {
  return events.map((event, index) => ({
    ...event,
    metadata: { ...event.metadata, [PREV_HASH_KEY]: links[index]!.prevHash, [HASH_KEY]: links[index]!.hash },
  }));
}
