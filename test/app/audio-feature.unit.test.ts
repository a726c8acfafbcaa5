import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AudioFeature } from '../../src/app/audio-feature.ts';
import { ConfigError, loadConfig } from '../../src/app/config.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { InMemoryEventStore } from '../support/in-memory-event-store.ts';

const id = '0b7f5a52-6a0e-4d3c-9a43-5a1f2f1d9e01';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function feature(env: NodeJS.ProcessEnv) {
  return new AudioFeature({ config: loadConfig(env), store: new InMemoryEventStore(), db: {} as Kysely<any>, clock: new ManualClock('2026-11-23T10:00:00Z') });
}

const requested = (audioId: string | null) =>
  ({ audioId, callId: 'c', tenantId: 't', to: '+923001234567' }) as unknown as Parameters<AudioFeature['mediaFor']>[0];

describe('the audio feature wiring', () => {
  it('generates a signing secret on first use, keeps it 0600 in the data folder, and reuses it after a restart', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'calltrail-data-'));
    dirs.push(dataDir);
    const first = feature({ DATA_DIR: dataDir });
    const token = first.links.token(id, 'wav');
    expect(statSync(join(dataDir, 'media-signing-secret')).mode & 0o777).toBe(0o600);
    const restarted = feature({ DATA_DIR: dataDir });
    expect(restarted.links.verify(id, 'wav', token)).toBe('ok');
    expect(feature({ DATA_DIR: dataDir, MEDIA_SIGNING_SECRET: 'z'.repeat(32) }).links.verify(id, 'wav', token)).toBe('invalid');
  });

  it('plays a call’s own audio through PUBLIC_URL, the late-bound listen URL, or the default media', async () => {
    const withPublic = feature({ MEDIA_SIGNING_SECRET: 's'.repeat(32), PUBLIC_URL: 'https://calltrail.example.net' });
    expect(await withPublic.mediaFor(requested(id))).toMatch(new RegExp(`^sound:https://calltrail\\.example\\.net/media/${id}\\.wav\\?token=`));
    const late = feature({ MEDIA_SIGNING_SECRET: 's'.repeat(32), PORT: '0' });
    late.setListenUrl('http://127.0.0.1:41234');
    expect(await late.mediaFor(requested(id))).toMatch(/^sound:http:\/\/127\.0\.0\.1:41234\/media\//);
    expect(await late.mediaFor(requested(null))).toBe('sound:hello-world');
  });

  it.each([
    ['a short signing secret', { MEDIA_SIGNING_SECRET: 'short' }],
    ['a PUBLIC_URL that is not http(s)', { PUBLIC_URL: 'ftp://x' }],
    ['a zero upload limit', { AUDIO_MAX_UPLOAD_BYTES: '0' }],
  ])('refuses %s at start-up', (_name, env) => {
    expect(() => feature(env)).toThrow(ConfigError);
  });

  it('defaults: 20 MiB uploads, 10 minutes, AUDIO_DIR under DATA_DIR', () => {
    const settings = feature({ DATA_DIR: '/srv/calltrail' }).settings;
    expect(settings).toMatchObject({ maxUploadBytes: 20 * 1024 * 1024, maxDurationMs: 600_000, dir: '/srv/calltrail/audio' });
  });
});
