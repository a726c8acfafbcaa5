import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * API keys are random 32-byte secrets shown once. Only their SHA-256 is stored: a key has far too
 * much entropy to brute-force, so a fast hash is enough (passwords get a memory-hard one instead),
 * and looking a key up by its hash means no comparison ever touches the secret itself.
 */
export type KeyMode = 'live' | 'test';

export function generateApiKey(mode: KeyMode): { secret: string; prefix: string; keyHash: string } {
  const secret = `ct_${mode}_${randomAlphanumeric(40)}`;
  return { secret, prefix: secret.slice(0, `ct_${mode}_`.length + 6), keyHash: hashApiKey(secret) };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 40 characters of 62 symbols: about 238 bits, and nothing a shell or URL needs escaped. */
function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function looksLikeApiKey(token: string): boolean {
  return /^ct_(live|test)_[A-Za-z0-9]{40}$/.test(token);
}

export const OPERATOR_KEY_PREFIX = 'ct_op_';

/** The operator's key: the same kind of secret, hashed the same way, with its own prefix. */
export function generateOperatorKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${OPERATOR_KEY_PREFIX}${randomBytes(30).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;
  return { secret, prefix: secret.slice(0, OPERATOR_KEY_PREFIX.length + 6), hash: hashApiKey(secret) };
}

/** Compared as hashes in constant time, so how much of a guess matched never shows in the timing. */
export function operatorKeyMatches(token: string, expectedHash: string | null): boolean {
  if (expectedHash === null || !token.startsWith(OPERATOR_KEY_PREFIX)) return false;
  const actual = createHash('sha256').update(token, 'utf8').digest();
  const expected = Buffer.from(expectedHash, 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
