import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDiskAudioStorage } from '../../src/adapters/audio-storage/local-disk.ts';
import type { AudioTranscoder } from '../../src/adapters/audio-transcoder/port.ts';
import { AudioFeature } from '../../src/app/audio-feature.ts';
import { loadConfig } from '../../src/app/config.ts';
import type { AudioUsage } from '../../src/commands/audio/audio-usage.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { audioStream } from '../../src/domain/shared/streams.ts';
import { createApp } from '../../src/http/app.ts';
import { fakeDependencies, TENANT_A, TENANT_B, TOKEN_A, TOKEN_B } from '../http/support/fake-dependencies.ts';
import { InMemoryEventStore } from '../support/in-memory-event-store.ts';

/**
 * Deleting audio that a running or paused campaign plays answers 409 AUDIO_IN_USE, naming the
 * campaigns; the check is the AudioUsage given to the audio feature (here a stub the test drives).
 */

/** Stands in for ffmpeg: every upload is a 1 s WAV, and "transcoding" copies it. */
const transcoder: AudioTranscoder = {
  async probe() {
    return { container: 'wav', codec: 'pcm_s16le', declaredDurationMs: 1000, sampleRate: 8000, channels: 1 };
  },
  async transcode(file, _probed, outputDir) {
    const path = join(outputDir, 'playback.wav');
    writeFileSync(path, `transcoded:${file}`);
    return { path, format: 'wav', codec: 'pcm_s16le', sampleRate: 8000, channels: 1, durationMs: 1000, sizeBytes: 20 };
  },
};

class StubUsage implements AudioUsage {
  readonly asked: Array<{ tenantId: string; audioId: string }> = [];
  readonly playing = new Map<string, string[]>();
  async campaignsPlaying(tenantId: string, audioId: string): Promise<string[]> {
    this.asked.push({ tenantId, audioId });
    return this.playing.get(`${tenantId}/${audioId}`) ?? [];
  }
}

let root: string;
let usage: StubUsage;
let store: InMemoryEventStore;
let feature: AudioFeature;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'calltrail-audio-in-use-'));
  usage = new StubUsage();
  store = new InMemoryEventStore();
  feature = new AudioFeature({
    config: loadConfig({ DATA_DIR: root, MEDIA_SIGNING_SECRET: 's'.repeat(32) }),
    store,
    db: {} as Kysely<any>,
    clock: new ManualClock('2026-11-23T10:00:00Z'),
    storage: new LocalDiskAudioStorage(join(root, 'audio')),
    transcoder,
    usage,
  });
  const fakes = fakeDependencies();
  fakes.keys.issue(TOKEN_A, { tenantId: TENANT_A, keyId: 'key_a', scopes: [] });
  fakes.keys.issue(TOKEN_B, { tenantId: TENANT_B, keyId: 'key_b', scopes: [] });
  app = createApp({ ...fakes.deps, ...feature.http() });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function uploaded(tenantId = TENANT_A): Promise<string> {
  const caller = { tenantId, actor: 'apikey:key_a', correlationId: 'corr-1', requestId: 'req-1' };
  const { record } = await feature.service.upload(caller, async (dir) => {
    const path = join(dir, 'upload');
    const bytes = Buffer.from('RIFF....WAVE');
    writeFileSync(path, bytes);
    return { path, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), name: 'greeting' };
  });
  return record.audioId;
}

const remove = (audioId: string, token = TOKEN_A) => request(app).delete(`/api/v1/audio/${audioId}`).set('Authorization', `Bearer ${token}`);

describe('DELETE /api/v1/audio/:id while campaigns play the file', () => {
  it('answers 409 AUDIO_IN_USE naming the campaigns, deletes nothing, and deletes once none plays it', async () => {
    const audioId = await uploaded();
    usage.playing.set(`${TENANT_A}/${audioId}`, ['camp-running', 'camp-paused']);

    const refused = await remove(audioId);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: { code: 'AUDIO_IN_USE', message: expect.stringContaining('campaign'), details: { audio_id: audioId, campaign_ids: ['camp-running', 'camp-paused'] } },
    });
    expect(usage.asked).toEqual([{ tenantId: TENANT_A, audioId }]);
    expect((await feature.service.readiness(TENANT_A, audioId)).status).toBe('ready');
    expect((await store.readStream(audioStream(audioId))).map((event) => event.type)).not.toContain('AudioDeleted');

    usage.playing.delete(`${TENANT_A}/${audioId}`);
    expect((await remove(audioId)).status).toBe(204);
    expect((await feature.service.readiness(TENANT_A, audioId)).status).toBe('deleted');
  });

  it('answers 404 for another tenant’s file without asking which campaigns play it', async () => {
    const audioId = await uploaded(TENANT_A);
    usage.playing.set(`${TENANT_A}/${audioId}`, ['camp-1']);
    const foreign = await remove(audioId, TOKEN_B);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('AUDIO_NOT_FOUND');
    expect(usage.asked).toEqual([]);
  });
});
