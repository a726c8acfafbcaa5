import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifyWebhook } from '../../src/webhooks/verify.ts';

const secret = 'whsec_test_secret';
const body = '{"id":"evt_1","type":"call.completed"}';
const now = new Date('2026-12-03T10:00:00Z');
const t = Math.floor(now.getTime() / 1000);

describe('Calltrail-Signature: sign and verifyWebhook', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">, computed independently here', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(body, t, [secret])).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts a fresh, correctly signed body', () => {
    expect(verifyWebhook(body, signatureHeader(body, t, [secret]), secret, { now })).toEqual({ ok: true, timestamp: t });
  });

  it('accepts a Buffer body the same as its text', () => {
    expect(verifyWebhook(Buffer.from(body), signatureHeader(body, t, [secret]), secret, { now }).ok).toBe(true);
  });

  it('refuses a changed body, a wrong secret and a changed timestamp', () => {
    const header = signatureHeader(body, t, [secret]);
    expect(verifyWebhook(body.replace('completed', 'failed'), header, secret, { now })).toEqual({ ok: false, reason: 'no_matching_signature' });
    expect(verifyWebhook(body, header, 'whsec_other', { now })).toEqual({ ok: false, reason: 'no_matching_signature' });
    const moved = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyWebhook(body, moved, secret, { now })).toEqual({ ok: false, reason: 'no_matching_signature' });
  });

  it('refuses a timestamp more than the tolerance (5 min by default) from now, either way', () => {
    const old = signatureHeader(body, t - 301, [secret]);
    expect(verifyWebhook(body, old, secret, { now })).toEqual({ ok: false, reason: 'timestamp_outside_tolerance' });
    expect(verifyWebhook(body, signatureHeader(body, t - 300, [secret]), secret, { now }).ok).toBe(true);
    expect(verifyWebhook(body, signatureHeader(body, t + 301, [secret]), secret, { now }).ok).toBe(false);
    expect(verifyWebhook(body, old, secret, { now, toleranceSeconds: 600 }).ok).toBe(true);
  });

  it('during a rotation the header carries both signatures, and either secret verifies', () => {
    const header = signatureHeader(body, t, ['whsec_new', 'whsec_old']);
    expect(header.split(',')).toHaveLength(3);
    expect(verifyWebhook(body, header, 'whsec_new', { now }).ok).toBe(true);
    expect(verifyWebhook(body, header, 'whsec_old', { now }).ok).toBe(true);
    expect(verifyWebhook(body, header, 'whsec_neither', { now }).ok).toBe(false);
  });

  it('refuses malformed headers', () => {
    for (const header of [undefined, null, '', 'v1=abc', `t=${t}`, `t=abc,v1=${'0'.repeat(64)}`, `t=${t},v1=xyz`, `t=${t},t=${t},v1=${'0'.repeat(64)}`, 'garbage']) {
      expect(verifyWebhook(body, header, secret, { now })).toEqual({ ok: false, reason: 'malformed_header' });
    }
  });

  it('ignores schemes it does not know, so a future v2 beside v1 keeps working', () => {
    const header = `${signatureHeader(body, t, [secret])},v2=whatever`;
    expect(verifyWebhook(body, header, secret, { now }).ok).toBe(true);
  });
});
