/**
 * Tamper evidence: every event carries a hash that covers its own content and the hash of the event
 * before it in the same stream, so changing, removing or reordering a stored event breaks every link
 * after it.
 *
 *   hash(n) = sha256_hex( hash(n-1) + "\n" + canonical({ stream, revision, type, data, metadata }) )
 *   hash(-1) = GENESIS_HASH (64 zeros)
 *
 * Both backends compute exactly this, over the event as the caller appended it, so a chain can be
 * checked the same way wherever it is stored (and survives a migration from one store to another).
 */
import { createHash } from 'node:crypto';
import type { EventToAppend, GlobalPosition } from '../../domain/shared/messages.ts';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit (JavaScript's default sort), no whitespace,
 * `undefined` members dropped (as JSON.stringify does), bigint written as a decimal string, `toJSON`
 * honoured (Dates become their ISO string). Numbers use JavaScript's shortest round-trip form, which
 * a JSON value read back from jsonb or from EventStoreDB reproduces exactly.
 */
export function canonicalJson(value: unknown): string {
  const text = canonical(value);
  return text === undefined ? 'null' : text;
}

function canonical(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) return 'null';
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object': {
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return canonical(withJson.toJSON());
      if (Array.isArray(value)) return `[${value.map((item) => canonical(item) ?? 'null').join(',')}]`;
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const member = canonical(record[key]);
        if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
      }
      return `{${members.join(',')}}`;
    }
  }
  return undefined;
}

/** What a link covers: the event as appended, and where it sits. */
export type ChainedContent = {
  readonly stream: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  /** The event's metadata as appended, without any hash field. */
  readonly metadata: unknown;
};

export function eventHash(previousHash: string, content: ChainedContent): string {
  const body = canonicalJson({
    stream: content.stream,
    revision: content.revision,
    type: content.type,
    data: content.data,
    metadata: content.metadata,
  });
  return createHash('sha256').update(previousHash).update('\n').update(body).digest('hex');
}

/**
 * One event's canonical text for a store that fills in the revision itself (Postgres's es_append
 * links the chain in the database, where the head is known):
 * `{"data":` + data + `,"metadata":` + metadata + `,"revision":"` + revision + tail` is exactly
 * the canonical body eventHash covers. `data` and `metadata` are also what the row stores, so
 * each is serialised once. A member with no JSON form (undefined) is written as null, which is
 * what a store reads back, so the link still verifies.
 */
export function canonicalParts(
  stream: string,
  type: string,
  data: unknown,
  metadata: unknown,
): { data: string; metadata: string; tail: string } {
  // Members in canonical (sorted) order: data, metadata, revision, stream, type.
  return {
    data: canonicalJson(data),
    metadata: canonicalJson(metadata),
    tail: `","stream":${JSON.stringify(stream)},"type":${JSON.stringify(type)}}`,
  };
}

/** The canonical body of one link, as canonicalParts' pieces put it together around the revision. */
export function canonicalBody(parts: { data: string; metadata: string; tail: string }, revision: bigint): string {
  return `{"data":${parts.data},"metadata":${parts.metadata},"revision":"${revision}${parts.tail}`;
}

/** Hashes for a batch appended right after the event whose hash is `previousHash`. */
export function chainBatch(
  stream: string,
  firstRevision: bigint,
  previousHash: string,
  events: readonly EventToAppend[],
): { prevHash: string; hash: string }[] {
  let prev = previousHash;
  return events.map((event, index) => {
    const hash = eventHash(prev, {
      stream,
      revision: firstRevision + BigInt(index),
      type: event.type,
      data: event.data,
      metadata: event.metadata,
    });
    const link = { prevHash: prev, hash };
    prev = hash;
    return link;
  });
}

/** The first link found broken, named so an operator can go straight to it. */
export type BrokenLink = {
  readonly stream: string;
  /** Revision of the first event whose link does not hold (for a truncated stream: the first missing one). */
  readonly revision: bigint;
  /** Global position of that event, when it exists. */
  readonly position?: GlobalPosition;
  readonly reason: string;
};

export type VerifyReport = {
  readonly ok: boolean;
  /** Events whose links were checked. */
  readonly checked: number;
  readonly streams: number;
  readonly firstBroken?: BrokenLink;
};

export type VerifyProgress = { readonly checked: number };

/**
 * Optional extension of the EventStore port: stores that keep a hash chain can prove it unbroken.
 * Both built-in backends implement it.
 */
export interface VerifiableEventStore {
  verifyStream(stream: string): Promise<VerifyReport>;
  /** Every stream (in the backend's natural order); stops at the first broken link. */
  verifyAll(onProgress?: (progress: VerifyProgress) => void): Promise<VerifyReport>;
}

export function isVerifiable(store: object): store is VerifiableEventStore {
  const candidate = store as Partial<VerifiableEventStore>;
  return typeof candidate.verifyStream === 'function' && typeof candidate.verifyAll === 'function';
}

/** A stored event as the verifier sees it. */
export type StoredLink = ChainedContent & {
  readonly position?: GlobalPosition;
  readonly storedHash: string | null | undefined;
  readonly storedPrevHash: string | null | undefined;
  /** Any inconsistency the backend itself found in the row (duplicated columns that disagree). */
  readonly problem?: string;
};

/**
 * Checks links one stream-ordered or globally-ordered event at a time, remembering each stream's
 * last revision and hash. Returns the first broken link, or undefined while all hold.
 */
export class ChainChecker {
  private readonly tails = new Map<string, { revision: bigint; hash: string }>();
  checked = 0;

  get streams(): number {
    return this.tails.size;
  }

  check(link: StoredLink): BrokenLink | undefined {
    const tail = this.tails.get(link.stream);
    const expectedRevision = tail === undefined ? 0n : tail.revision + 1n;
    const expectedPrev = tail === undefined ? GENESIS_HASH : tail.hash;
    const broken = (reason: string, revision = link.revision): BrokenLink => ({
      stream: link.stream,
      revision,
      ...(link.position !== undefined && revision === link.revision && { position: link.position }),
      reason,
    });
    this.checked += 1;
    if (link.revision !== expectedRevision) {
      return broken(`revision ${expectedRevision} is missing (found ${link.revision} next)`, expectedRevision);
    }
    if (link.problem !== undefined) return broken(link.problem);
    if (typeof link.storedHash !== 'string' || link.storedHash === '') return broken('the event carries no hash');
    if (link.storedPrevHash !== undefined && link.storedPrevHash !== null && link.storedPrevHash !== expectedPrev) {
      return broken('its previous-hash does not match the hash of the event before it');
    }
    const recomputed = eventHash(expectedPrev, link);
    if (recomputed !== link.storedHash) return broken('its content no longer matches its hash (altered after it was written)');
    this.tails.set(link.stream, { revision: link.revision, hash: link.storedHash });
    return undefined;
  }

  /** The last hash and revision seen for a stream (to compare with a backend's stream head). */
  tail(stream: string): { revision: bigint; hash: string } | undefined {
    return this.tails.get(stream);
  }
}
