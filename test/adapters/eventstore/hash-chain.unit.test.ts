import { describe, expect, it } from 'vitest';
import { canonicalBody, canonicalJson, canonicalParts, ChainChecker, chainBatch, eventHash, GENESIS_HASH } from '../../../src/adapters/eventstore/hash-chain.ts';
import type { EventToAppend } from '../../../src/domain/shared/messages.ts';

const event = (n: number): EventToAppend => ({
  type: 'Thing',
  data: { n, nested: { b: 2, a: [1, 'x', null] } },
  metadata: {
    eventId: `e-${n}`,
    correlationId: 'c',
    causationId: 'c',
    tenantId: 't',
    actor: 'system:test',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  },
});

describe('canonical JSON', () => {
  it('sorts keys at every depth, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 2 }], c: 'é' } })).toBe('{"a":{"c":"é","d":[3,{"x":2,"z":1}]},"b":1}');
  });

  it('writes bigint as a decimal string and Dates through toJSON', () => {
    expect(canonicalJson({ r: 12345678901234567890n, at: new Date('2026-01-02T03:04:05.000Z') })).toBe(
      '{"at":"2026-01-02T03:04:05.000Z","r":"12345678901234567890"}',
    );
  });

  it('is the same for an object and its JSON round trip (what a store hands back)', () => {
    const value = { z: 1.5, a: [true, false, null], m: { amount: 1999, currency: 'EUR' }, s: 'line\nbreak "quoted"' };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });
});

describe('hash chain', () => {
  it('links each event to the one before, starting from the genesis hash', () => {
    const links = chainBatch('s-1', 0n, GENESIS_HASH, [event(0), event(1)]);
    expect(links[0]!.prevHash).toBe(GENESIS_HASH);
    expect(links[1]!.prevHash).toBe(links[0]!.hash);
    expect(links[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when the content, the stream, the revision or the previous hash changes', () => {
    const content = { stream: 's', revision: 0n, type: 'T', data: { a: 1 }, metadata: { m: 1 } };
    const base = eventHash(GENESIS_HASH, content);
    expect(eventHash(GENESIS_HASH, { ...content, data: { a: 2 } })).not.toBe(base);
    expect(eventHash(GENESIS_HASH, { ...content, stream: 't' })).not.toBe(base);
    expect(eventHash(GENESIS_HASH, { ...content, revision: 1n })).not.toBe(base);
    expect(eventHash('f'.repeat(64), content)).not.toBe(base);
    expect(eventHash(GENESIS_HASH, { ...content, data: { a: 1 } })).toBe(base);
  });

  it('the checker names the first altered event and the first missing revision', () => {
    const events = [event(0), event(1), event(2)];
    const links = chainBatch('s', 0n, GENESIS_HASH, events);
    const stored = events.map((e, i) => ({
      stream: 's', revision: BigInt(i), type: e.type, data: e.data, metadata: e.metadata,
      storedHash: links[i]!.hash, storedPrevHash: links[i]!.prevHash,
    }));

    const intact = new ChainChecker();
    expect(stored.map((link) => intact.check(link))).toEqual([undefined, undefined, undefined]);

    const altered = new ChainChecker();
    expect(altered.check(stored[0]!)).toBeUndefined();
    expect(altered.check({ ...stored[1]!, data: { n: 99 } })).toMatchObject({ stream: 's', revision: 1n });

    const gap = new ChainChecker();
    gap.check(stored[0]!);
    expect(gap.check(stored[2]!)).toMatchObject({ stream: 's', revision: 1n, reason: expect.stringContaining('missing') });
  });
});

describe('canonical parts (the text Postgres links in the database)', () => {
  it('gives the canonical body eventHash covers once the revision is put between them', () => {
    const data = { é: 'quote " backslash \\ newline \n', n: 1.5e-7, deep: [{ b: undefined, a: 'ok' }], big: 10n };
    const metadata = { ...event(1).metadata, extra: undefined };
    const parts = canonicalParts('stream-ü', 'Typed"Event', data, metadata);
    for (const revision of [0n, 9n, 12345678901n]) {
      expect(canonicalBody(parts, revision)).toBe(canonicalJson({ stream: 'stream-ü', revision, type: 'Typed"Event', data, metadata }));
    }
  });

  it('serialises data and metadata once, as canonical JSON that parses back to the same values', () => {
    const data = { b: [1, 'x'], a: { z: null } };
    const parts = canonicalParts('s', 'T', data, event(2).metadata);
    expect(parts.data).toBe(canonicalJson(data));
    expect(JSON.parse(parts.data)).toEqual(data);
    expect(JSON.parse(parts.metadata)).toEqual(event(2).metadata);
  });
});
