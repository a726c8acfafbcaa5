import type { GlobalPosition } from '../../domain/shared/messages.ts';

/**
 * The `Calltrail-Position` token: a log position the client carries from a command's answer to
 * its next read. Opaque to clients (base64url of a versioned text), so the store behind it can
 * change without clients parsing anything; the version prefix lets a later format coexist.
 */

const VERSION = 'p1';
const DIGITS = /^(0|[1-9][0-9]{0,19})$/;
const MAX_PART = 2n ** 64n - 1n;

export function encodePosition(position: GlobalPosition): string {
  return Buffer.from(`${VERSION}:${position.commit}:${position.prepare}`, 'utf8').toString('base64url');
}

/** Null for anything that is not a token this server made (any version, any store). */
export function decodePosition(token: string): GlobalPosition | null {
  if (token.length === 0 || token.length > 64 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const parts = Buffer.from(token, 'base64url').toString('utf8').split(':');
  if (parts.length !== 3 || parts[0] !== VERSION) return null;
  const [commit, prepare] = [parts[1]!, parts[2]!];
  if (!DIGITS.test(commit) || !DIGITS.test(prepare)) return null;
  const position = { commit: BigInt(commit), prepare: BigInt(prepare) };
  return position.commit > MAX_PART || position.prepare > MAX_PART ? null : position;
}
