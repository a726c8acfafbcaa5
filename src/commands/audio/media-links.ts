import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../domain/shared/clock.ts';

export type MediaLinkOptions = {
  /** The HMAC key. Read lazily, so a sandbox can create and keep one in its data folder on first use. */
  readonly secret: () => Buffer;
  /** Where Asterisk reaches calltrail, e.g. `http://10.0.0.5:3000`. Late-bound: known only after listen. */
  readonly publicUrl: () => string;
  readonly clock: Clock;
  /** A link stays valid at least this long. */
  readonly ttlSeconds: number;
  /**
   * Expiry times are rounded up to a multiple of this, so every call playing a file within one
   * window gets the very same URL — Asterisk's media cache keys on the URL, and a new token per
   * call would mean a new download per call.
   */
  readonly windowSeconds: number;
};

export type TokenCheck = 'ok' | 'expired' | 'invalid';

const TOKEN = /^(\d{1,12})-([0-9a-f]{64})$/;

/**
 * Signed, expiring links to transcoded audio: `…/media/<id>.wav?token=<expiry>-<hmac>`. The HMAC
 * (SHA-256) covers the audio id, the format and the expiry, so a token opens one file until one
 * time and nothing else. The token has no dot in it: Asterisk looks for a file extension after the
 * last dot of the URL.
 */
export class MediaLinks {
  constructor(private readonly options: MediaLinkOptions) {}

  /** The `sound:` URI the PBX is told to play. */
  soundUri(audioId: string, format = 'wav'): string {
    return `sound:${this.url(audioId, format)}`;
  }

  url(audioId: string, format = 'wav'): string {
    const base = this.options.publicUrl().replace(/\/+$/, '');
    return `${base}/media/${audioId}.${format}?token=${this.token(audioId, format)}`;
  }

  token(audioId: string, format: string, expiresAtSeconds = this.expiry()): string {
    return `${expiresAtSeconds}-${this.mac(audioId, format, expiresAtSeconds)}`;
  }

  /** Seconds the token has left, for Cache-Control; 0 for anything not valid. */
  remainingSeconds(token: string): number {
    const match = TOKEN.exec(token);
    if (!match) return 0;
    return Math.max(0, Number(match[1]) - this.nowSeconds());
  }

  verify(audioId: string, format: string, token: unknown): TokenCheck {
    if (typeof token !== 'string') return 'invalid';
    const match = TOKEN.exec(token);
    if (!match) return 'invalid';
    const expiresAt = Number(match[1]);
    const expected = Buffer.from(this.mac(audioId, format, expiresAt), 'hex');
    const given = Buffer.from(match[2]!, 'hex');
    // Constant time, and the signature is checked before the expiry is believed.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return expiresAt <= this.nowSeconds() ? 'expired' : 'ok';
  }

  private expiry(): number {
    const { ttlSeconds, windowSeconds } = this.options;
    const earliest = this.nowSeconds() + ttlSeconds;
    return Math.ceil(earliest / windowSeconds) * windowSeconds;
  }

  private nowSeconds(): number {
    return Math.floor(this.options.clock.now().getTime() / 1000);
  }

  private mac(audioId: string, format: string, expiresAt: number): string {
    return createHmac('sha256', this.options.secret()).update(`calltrail-media:v1\n${audioId}\n${format}\n${expiresAt}`).digest('hex');
  }
}
