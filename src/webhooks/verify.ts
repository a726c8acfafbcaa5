import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `Calltrail-Signature` header, on both sides: calltrail signs each delivery with it and a
 * receiver checks it with `verifyWebhook`. This file depends on node:crypto only, so a receiver
 * written in TypeScript can import (or copy) it as it is.
 *
 * Header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. While a rotated secret's
 * grace period runs, the header carries one `v1=` per secret that signs, and any one matching is
 * enough. The timestamp is part of what is signed, so an old delivery cannot be re-sent with a
 * fresh one; the tolerance bounds how old a captured delivery may be.
 */

export const SIGNATURE_HEADER = 'Calltrail-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type VerifyOptions = {
  /** How far the header's timestamp may be from `now`, either way. Default 300 s (5 minutes). */
  readonly toleranceSeconds?: number;
  /** The receiver's clock; default the system clock. */
  readonly now?: Date;
};

export type VerifyResult =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'malformed_header' | 'timestamp_outside_tolerance' | 'no_matching_signature' };

/** The hex HMAC of one secret over `t.body`. */
export function signatureOf(body: string | Uint8Array, timestamp: number, secret: string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return mac.digest('hex');
}

/** The header value for a body sent at `timestamp` (unix seconds), signed by every secret given. */
export function signatureHeader(body: string | Uint8Array, timestamp: number, secrets: readonly string[]): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signatureOf(body, timestamp, secret)}`)].join(',');
}

/**
 * Checks a delivery: `body` must be the raw bytes received (before any JSON parsing), `header`
 * the `Calltrail-Signature` value and `secret` the endpoint's `whsec_…` secret.
 */
export function verifyWebhook(body: string | Uint8Array, header: string | null | undefined, secret: string, options: VerifyOptions = {}): VerifyResult {
  const parsed = parseHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed_header' };
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - parsed.timestamp) > tolerance) return { ok: false, reason: 'timestamp_outside_tolerance' };
  const expected = Buffer.from(signatureOf(body, parsed.timestamp, secret), 'hex');
  const matches = parsed.signatures.some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: 'no_matching_signature' };
}

function parseHeader(header: string | null | undefined): { timestamp: number; signatures: string[] } | null {
  if (typeof header !== 'string' || header.length > 4096) return null;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const equals = part.indexOf('=');
    if (equals === -1) return null;
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return null;
      signatures.push(value.toLowerCase());
    }
    // Other schemes (a future v2) are ignored, so a receiver keeps working when one is added.
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}
