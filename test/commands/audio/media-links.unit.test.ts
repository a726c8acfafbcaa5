import { describe, expect, it } from 'vitest';
import { MediaLinks } from '../../../src/commands/audio/media-links.ts';
import { ManualClock } from '../../../src/domain/shared/clock.ts';

const id = '0b7f5a52-6a0e-4d3c-9a43-5a1f2f1d9e01';

function links(clock: ManualClock, secret = 'x'.repeat(40)) {
  return new MediaLinks({
    secret: () => Buffer.from(secret),
    publicUrl: () => 'http://pbx-facing.example:3000/',
    clock,
    ttlSeconds: 3600,
    windowSeconds: 300,
  });
}

const tokenOf = (uri: string) => new URL(uri.replace(/^sound:/, '')).searchParams.get('token')!;

describe('signed media links', () => {
  it('builds a sound:http URL ending in the file name, with a dot-free token', () => {
    const uri = links(new ManualClock('2026-11-23T10:00:00Z')).soundUri(id);
    expect(uri).toMatch(new RegExp(`^sound:http://pbx-facing\\.example:3000/media/${id}\\.wav\\?token=\\d+-[0-9a-f]{64}$`));
    expect(tokenOf(uri)).not.toContain('.');
  });

  it('a token opens its own file until it expires, then answers expired', () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const signer = links(clock);
    const token = tokenOf(signer.soundUri(id));
    expect(signer.verify(id, 'wav', token)).toBe('ok');
    clock.advance(3600 * 1000 + 300 * 1000);
    expect(signer.verify(id, 'wav', token)).toBe('expired');
  });

  it('refuses forged, altered, foreign and missing tokens', () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const signer = links(clock);
    const token = tokenOf(signer.soundUri(id));
    const [expiry, mac] = token.split('-') as [string, string];
    expect(signer.verify('11111111-2222-4333-8444-555555555555', 'wav', token)).toBe('invalid'); // another file
    expect(signer.verify(id, 'wav', `${Number(expiry) + 86_400}-${mac}`)).toBe('invalid'); // extended expiry
    expect(signer.verify(id, 'wav', `${expiry}-${mac.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`)).toBe('invalid');
    expect(signer.verify(id, 'wav', `${expiry}-${'0'.repeat(64)}`)).toBe('invalid');
    expect(links(clock, 'y'.repeat(40)).verify(id, 'wav', token)).toBe('invalid'); // another secret
    expect(signer.verify(id, 'wav', undefined)).toBe('invalid');
    expect(signer.verify(id, 'wav', ['a', 'b'])).toBe('invalid');
    expect(signer.verify(id, 'wav', 'garbage')).toBe('invalid');
  });

  it('an expired token with a forged signature is invalid, not expired', () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    expect(links(clock).verify(id, 'wav', `1-${'a'.repeat(64)}`)).toBe('invalid');
  });

  it('calls within one window share one URL, so the PBX media cache hits', () => {
    const clock = new ManualClock('2026-11-23T10:00:01Z');
    const signer = links(clock);
    const first = signer.soundUri(id);
    clock.advance(60_000);
    expect(signer.soundUri(id)).toBe(first);
    clock.advance(300_000);
    expect(signer.soundUri(id)).not.toBe(first);
  });
});
