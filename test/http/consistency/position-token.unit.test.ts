import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePosition, encodePosition } from '../../../src/http/consistency/position-token.ts';

describe('the Calltrail-Position token', () => {
  it('gives back the position it was made from, for any position a store can report', () => {
    const part = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    fc.assert(
      fc.property(part, part, (commit, prepare) => {
        expect(decodePosition(encodePosition({ commit, prepare }))).toEqual({ commit, prepare });
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('is opaque: no digits of the position show through as they are', () => {
    const token = encodePosition({ commit: 770123n, prepare: 42n });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('770123');
  });

  const encoded = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  it.each([
    ['empty', ''],
    ['not base64url', 'p1:1:2'],
    ['another version', encoded('p2:1:2')],
    ['a missing part', encoded('p1:1')],
    ['an extra part', encoded('p1:1:2:3')],
    ['a negative part', encoded('p1:-1:2')],
    ['a leading zero', encoded('p1:01:2')],
    ['a part past 64 bits', encoded(`p1:${2n ** 64n}:2`)],
    ['words', encoded('p1:one:two')],
    ['far too long', 'A'.repeat(65)],
  ])('refuses %s', (_name, token) => {
    expect(decodePosition(token)).toBeNull();
  });
});
