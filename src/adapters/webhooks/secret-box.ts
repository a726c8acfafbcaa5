import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Signing needs an endpoint's secret in the clear at every delivery, so it cannot be hashed like
 * an API key: events and tables hold it sealed with AES-256-GCM under the operator's key
 * (WEBHOOK_SECRET_KEY). A sealed value is `v1.<iv>.<tag>.<ciphertext>` in base64url; the key's
 * fingerprint is bound in as associated data, so opening with the wrong key fails loudly.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly aad: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The webhook secret key must be 32 bytes');
    this.key = key;
    this.aad = createHash('sha256').update('calltrail webhook secret').update(key).digest().subarray(0, 8);
  }

  /** A key given as 64 hex characters or 43+ base64/base64url characters (32 bytes either way). */
  static fromText(text: string): SecretBox {
    const trimmed = text.trim();
    const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64url');
    if (key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes: 64 hex characters or 43 base64url characters');
    return new SecretBox(key);
  }

  static generateKeyText(): string {
    return randomBytes(32).toString('base64url');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(this.aad);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Not a sealed webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(this.aad);
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** A new endpoint secret: `whsec_` and 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
