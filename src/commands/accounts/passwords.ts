import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are hashed with scrypt (memory-hard, in node:crypto, so no native add-on to build).
 * The stored form names its parameters, so they can be raised later without breaking old hashes:
 * `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>`.
 */
export type ScryptCost = { log2N: number; r: number; p: number };

/** 2^15 × 8 × 128 bytes = 32 MiB per hash, about 50–100 ms on a small server core. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 200;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export class PasswordHasher {
  /** A hash made once, so a login for an unknown email costs the same as one for a known email. */
  private decoy: Promise<string> | undefined;

  constructor(readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.cost);
    const { log2N, r, p } = this.cost;
    return `scrypt$${log2N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /** Constant-time comparison; a malformed stored hash simply does not verify. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    if (![log2N, r, p].every((n) => Number.isInteger(n) && n > 0) || log2N > 20) return false;
    const salt = Buffer.from(parts[4]!, 'base64url');
    const expected = Buffer.from(parts[5]!, 'base64url');
    if (expected.length !== KEY_LENGTH) return false;
    const actual = await derive(password, salt, { log2N, r, p });
    return timingSafeEqual(actual, expected);
  }

  /** Spends the same work as a real verification and always fails. */
  async verifyDecoy(password: string): Promise<false> {
    this.decoy ??= this.hash(randomBytes(18).toString('base64url'));
    await this.verify(password, await this.decoy);
    return false;
  }
}

/** Length only: a long passphrase beats composition rules. Returns a message, or null when fine. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD) return `password must be at least ${MIN_PASSWORD} characters.`;
  if (password.length > MAX_PASSWORD) return `password must be at most ${MAX_PASSWORD} characters.`;
  return null;
}
