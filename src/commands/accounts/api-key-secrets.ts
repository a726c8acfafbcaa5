import { createHash, randomInt } from 'node:crypto';

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
