import { createServer, type Server } from 'node:http';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioStream } from '../../src/domain/shared/streams.ts';
import { corrupted, encode, gzipBomb, hasFfmpeg, notAudio, truncated, wav } from '../support/audio-fixtures.ts';
import { testDatabases } from '../support/databases.ts';
import { startTestEngine, waitForCall, type RunningEngine } from './support/engine.ts';

const ffmpegInstalled = hasFfmpeg();
if (!ffmpegInstalled) console.log('audio e2e tests skipped: ffmpeg/ffprobe are not installed (apt-get install ffmpeg)');

const MAX_UPLOAD = 256 * 1024;
const LIMITS = { AUDIO_MAX_UPLOAD_BYTES: String(MAX_UPLOAD), AUDIO_MAX_DURATION_SECONDS: '10' };
const TERMINAL = new Set(['COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST']);

/** Every file under the audio folder, relative to it (empty folders are not files). */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

for (const backend of testDatabases()) {
  describe.skipIf(!ffmpegInstalled)(`the audio library on ${backend.name}`, () => {
    let running: RunningEngine;
    let server: Server;
    const fetched: string[] = [];
    let fixtures: Record<'mp3' | 'opus' | 'bomb', Buffer>;
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });
    const app = () => running.engine.app;
    const upload = (bytes: Buffer, filename = 'upload.bin', name?: string) => {
      const req = request(app()).post('/api/v1/audio').set(auth());
      if (name !== undefined) req.field('name', name);
      return req.attach('file', bytes, filename);
    };

    beforeAll(async () => {
      fixtures = {
        mp3: encode('mp3', 2),
        opus: encode('opus', 2),
        bomb: Buffer.concat([encode('opus', 30, { silence: true }), encode('opus', 1, { silence: true })]),
      };
      running = await startTestEngine(await backend.open(), { env: LIMITS });
      // A real listener in front of the app, so the ARI simulator can fetch media the way Asterisk would.
      server = createServer((req, res) => {
        fetched.push(req.url ?? '');
        running.engine.app(req, res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      running.engine.audio.setListenUrl(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await running?.close();
    });

    it.each([
      ['a WAV', () => wav({ seconds: 2, sampleRate: 16_000 }), 'wav', 'pcm_s16le'],
      ['an MP3', () => fixtures.mp3, 'mp3', 'mp3'],
      ['an Ogg/Opus file', () => fixtures.opus, 'ogg', 'opus'],
    ])('uploads %s: 201 with id, name, duration, formats and created_at; original and 8 kHz WAV kept', async (_n, make, container, codec) => {
      const bytes = make();
      const response = await upload(bytes, 'misleading-name.txt', `greeting ${container}`);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      const body = response.body;
      expect(body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: `greeting ${container}`,
        status: 'ready',
        formats: [{ format: 'wav', codec: 'pcm_s16le', sample_rate: 8000, channels: 1 }],
        original: { format: container, codec, size_bytes: bytes.length },
      });
      expect(Math.abs(body.duration_seconds - 2)).toBeLessThan(0.12);
      expect(body.original.sha256).toBe((await import('node:crypto')).createHash('sha256').update(bytes).digest('hex'));
      expect(Date.parse(body.created_at)).not.toBeNaN();
      expect(response.headers.location).toBe(`/api/v1/audio/${body.id}`);
      const stored = filesUnder(running.audioDir).filter((f) => f.includes(body.id));
      expect(stored).toEqual([`files/${running.accountId}/${body.id}/original`, `files/${running.accountId}/${body.id}/playback-8k.wav`]);
    });

    it('names an upload after its file when no name is given', async () => {
      const response = await upload(wav({ seconds: 1 }), 'Welcome Message.wav');
      expect(response.status).toBe(201);
      expect(response.body.name).toBe('Welcome Message');
    });

    describe('bad input: a clear 4xx in the standard body, and no file left behind', () => {
      const cases: Array<[string, () => Buffer, number, string, string[]]> = [
        ['an empty file', () => Buffer.alloc(0), 422, 'INVALID_AUDIO', ['empty']],
        ['a text file named .mp3', () => notAudio(), 422, 'INVALID_AUDIO', ['not_audio']],
        ['a truncated MP3', () => truncated(fixtures.mp3), 422, 'INVALID_AUDIO', ['truncated', 'corrupt']],
        ['a truncated Ogg/Opus file', () => truncated(fixtures.opus), 422, 'INVALID_AUDIO', ['not_audio', 'corrupt', 'truncated']],
        ['a corrupt MP3', () => corrupted(fixtures.mp3), 422, 'INVALID_AUDIO', ['corrupt']],
        ['a WAV with a lying header (claims more audio than it holds)', () => wav({ seconds: 1, lie: { dataBytes: 1_600_000 } }), 422, 'INVALID_AUDIO', ['truncated']],
        ['a WAV with a lying header (byte rate)', () => wav({ seconds: 1, lie: { byteRate: 44_100 } }), 422, 'INVALID_AUDIO', ['header_mismatch']],
        ['a duration over the limit', () => wav({ seconds: 11 }), 422, 'AUDIO_TOO_LONG', ['too_long']],
        ['a zip bomb (gzip of 50 MB of zeros)', () => gzipBomb(), 422, 'INVALID_AUDIO', ['not_audio']],
        ['an audio bomb (says 1 s, decodes to 31 s)', () => fixtures.bomb, 422, 'INVALID_AUDIO', ['decoded_too_large']],
      ];

      it.each(cases)('%s', async (_name, make, status, code, reasons) => {
        const before = filesUnder(running.audioDir);
        const response = await upload(make(), 'upload.mp3');
        expect(response.status).toBe(status);
        expect(response.body.error).toMatchObject({ code, message: expect.any(String), details: expect.any(Object) });
        expect(reasons).toContain(response.body.error.details.reason);
        expect(filesUnder(running.audioDir)).toEqual(before);
      });

      it('an upload over the size limit: 413 (limit configurable)', async () => {
        const before = filesUnder(running.audioDir);
        for (const size of [MAX_UPLOAD + 1_000, MAX_UPLOAD * 4]) {
          const response = await upload(Buffer.alloc(size, 1), 'big.wav');
          expect(response.status).toBe(413);
          expect(response.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { max_bytes: MAX_UPLOAD } });
        }
        expect(filesUnder(running.audioDir)).toEqual(before);
      });

      it('a compressed request body is refused, not inflated: 415', async () => {
        const response = await request(app())
          .post('/api/v1/audio')
          .set(auth())
          .set('Content-Type', 'multipart/form-data; boundary=x')
          .set('Content-Encoding', 'gzip')
          .send(gzipBomb(1024 * 1024));
        expect(response.status).toBe(415);
        expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      });

      it('JSON instead of multipart: 415; multipart elsewhere under /api/v1 is still 415', async () => {
        const json = await request(app()).post('/api/v1/audio').set(auth()).send({ file: 'x' });
        expect(json.status).toBe(415);
        const calls = await request(app()).post('/api/v1/calls').set(auth()).attach('file', wav({ seconds: 1 }), 'a.wav');
        expect(calls.status).toBe(415);
      });

      it('no file part, an unknown field, two files: 422 naming the field', async () => {
        const none = await request(app()).post('/api/v1/audio').set(auth()).field('name', 'x');
        expect(none.status).toBe(422);
        expect(none.body.error.details.issues).toEqual([{ path: 'file', message: 'Required' }]);
        const unknown = await request(app()).post('/api/v1/audio').set(auth()).field('colour', 'red').attach('file', wav({ seconds: 1 }), 'a.wav');
        expect(unknown.status).toBe(422);
        expect(unknown.body.error.details.issues[0].path).toBe('colour');
        const two = await request(app())
          .post('/api/v1/audio')
          .set(auth())
          .attach('file', wav({ seconds: 1 }), 'a.wav')
          .attach('file', wav({ seconds: 1 }), 'b.wav');
        expect(two.status).toBe(422);
      });

      it('a malformed multipart body: 400', async () => {
        const response = await request(app())
          .post('/api/v1/audio')
          .set(auth())
          .set('Content-Type', 'multipart/form-data; boundary=abc')
          .send('--abc\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF');
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('INVALID_MULTIPART');
        expect(filesUnder(running.audioDir).filter((f) => f.startsWith('tmp/'))).toEqual([]);
      });

      it('a name longer than 200 characters: 422, nothing stored', async () => {
        const before = filesUnder(running.audioDir);
        const response = await upload(wav({ seconds: 1 }), 'a.wav', 'n'.repeat(201));
        expect(response.status).toBe(422);
        expect(filesUnder(running.audioDir)).toEqual(before);
      });
    });

    it('lists and gets the tenant’s files; a deleted one disappears, a foreign tenant sees none', async () => {
      const created = await upload(wav({ seconds: 1 }), 'a.wav', 'to be deleted');
      expect(created.status).toBe(201);
      const id = created.body.id;
      // the read model may still show the upload as processing for a moment after the 201
      await waitForAudio(id, (status, body) => status === 200 && body.status === 'ready');
      const list = await request(app()).get('/api/v1/audio?per_page=100').set(auth());
      expect(list.status).toBe(200);
      expect(list.body.data.map((a: any) => a.id)).toContain(id);
      expect(list.body.data.every((a: any) => a.status === 'ready')).toBe(true);

      const other = await otherTenant();
      expect((await request(app()).get(`/api/v1/audio/${id}`).set('Authorization', `Bearer ${other}`)).status).toBe(404);
      expect((await request(app()).get('/api/v1/audio').set('Authorization', `Bearer ${other}`)).body.data).toEqual([]);
      const foreignDelete = await request(app()).delete(`/api/v1/audio/${id}`).set('Authorization', `Bearer ${other}`);
      expect(foreignDelete.status).toBe(404);
      expect(foreignDelete.body.error.code).toBe('AUDIO_NOT_FOUND');

      const deleted = await request(app()).delete(`/api/v1/audio/${id}`).set(auth());
      expect(deleted.status).toBe(204);
      expect(filesUnder(running.audioDir).filter((f) => f.includes(id))).toEqual([]);
      await waitForAudio(id, (status) => status === 404);
      const again = await request(app()).delete(`/api/v1/audio/${id}`).set(auth());
      expect(again.status).toBe(404);
      const timeline = await running.engine.store.readStream(audioStream(id));
      expect(timeline.map((e) => e.type)).toEqual(['AudioUploaded', 'AudioProcessed', 'AudioDeleted']);
      expect(new Set(timeline.map((e) => e.metadata.tenantId))).toEqual(new Set([running.accountId]));
    });

    it('malformed ids read as not found', async () => {
      const response = await request(app()).get('/api/v1/audio/not-a-uuid').set(auth());
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('AUDIO_NOT_FOUND');
    });

    describe('calls by audio_id', () => {
      it('refuses an unknown audio_id, a malformed one and another tenant’s with 404 AUDIO_NOT_FOUND', async () => {
        const mine = (await upload(wav({ seconds: 1 }), 'a.wav')).body.id;
        const other = await otherTenant();
        for (const [key, audioId] of [
          [running.apiKey, crypto.randomUUID()],
          [running.apiKey, 'greeting.wav'],
          [other, mine],
        ] as const) {
          const response = await request(app())
            .post('/api/v1/calls')
            .set('Authorization', `Bearer ${key}`)
            .send({ phone_number: '+923001234567', audio_id: audioId });
          expect(response.status).toBe(404);
          expect(response.body.error.code).toBe('AUDIO_NOT_FOUND');
        }
      });

      it('refuses a file that is still processing with 409 AUDIO_NOT_READY, and will not delete it yet', async () => {
        const id = crypto.randomUUID();
        const at = new Date().toISOString();
        await running.engine.store.append(
          audioStream(id),
          [
            {
              type: 'AudioUploaded',
              data: {
                audioId: id,
                tenantId: running.accountId,
                name: 'in progress',
                original: { container: 'wav', codec: 'pcm_s16le', sizeBytes: 100, sha256: 'c'.repeat(64), declaredDurationMs: 1000, sampleRate: 8000, channels: 1 },
                uploadedAt: at,
              },
              metadata: { eventId: crypto.randomUUID(), correlationId: 'test', causationId: 'test', tenantId: running.accountId, actor: 'system:test', occurredAt: at, schemaVersion: 1 },
            },
          ],
          'no_stream',
        );
        const call = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001234567', audio_id: id });
        expect(call.status).toBe(409);
        expect(call.body.error.code).toBe('AUDIO_NOT_READY');
        const del = await request(app()).delete(`/api/v1/audio/${id}`).set(auth());
        expect(del.status).toBe(409);
        expect(del.body.error.code).toBe('AUDIO_NOT_READY');
      });

      it('end to end: upload → call with that audio_id → the simulator fetches the signed media URL → PlaybackStarted and PlaybackFinished', async () => {
        const uploaded = await upload(wav({ seconds: 2 }), 'hello.wav', 'campaign greeting');
        expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
        const audioId = uploaded.body.id;
        const placed = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: '03001234567', audio_id: audioId });
        expect(placed.status, JSON.stringify(placed.body)).toBe(201);
        expect(placed.body.audio_id).toBe(audioId);

        const call = await waitForCall(running.engine, running.apiKey, placed.body.id, (c) => TERMINAL.has(c.status));
        expect(call.status).toBe('COMPLETED');
        const fetches = fetched.filter((url) => url.startsWith(`/media/${audioId}.wav?token=`));
        expect(fetches.length).toBeGreaterThanOrEqual(1);
        const types = call.timeline.map((entry: any) => entry.type);
        // no max_duration_seconds given: the broadcast's ceiling is its audio (2 s) plus the 30 s margin
        expect(call.timeline[0].data.maxDurationSeconds).toBe(32);
        expect(types).toEqual(expect.arrayContaining(['CallAnswered', 'PlaybackStarted', 'PlaybackFinished', 'CallCompleted']));
        expect(types.indexOf('PlaybackStarted')).toBeLessThan(types.indexOf('PlaybackFinished'));
        const started = call.timeline.find((entry: any) => entry.type === 'PlaybackStarted');
        expect(started.data.media).toMatch(new RegExp(`^sound:http://127\\.0\\.0\\.1:\\d+/media/${audioId}\\.wav\\?token=\\d+-[0-9a-f]{64}$`));

        // The URL the PBX was given serves the 8 kHz WAV; with its token forged or expired it is 403.
        const url = new URL(started.data.media.replace(/^sound:/, ''));
        const ok = await request(app()).get(`${url.pathname}${url.search}`);
        expect(ok.status).toBe(200);
        expect(ok.headers['content-type']).toBe('audio/wav');
        expect(ok.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
        expect(ok.headers.etag).toBe(`"${uploaded.body.formats[0].sha256}"`);
        expect(Buffer.from(ok.body).subarray(0, 4).toString()).toBe('RIFF');
        const revalidated = await request(app()).get(`${url.pathname}${url.search}`).set('If-None-Match', ok.headers.etag!);
        expect(revalidated.status).toBe(304);

        // Deleting the file keeps the call's history; the link then finds nothing.
        expect((await request(app()).delete(`/api/v1/audio/${audioId}`).set(auth())).status).toBe(204);
        const after = await request(app()).get(`/api/v1/calls/${placed.body.id}`).set(auth());
        expect(after.body.timeline.map((e: any) => e.type)).toEqual(types);
        expect((await request(app()).get(`${url.pathname}${url.search}`)).status).toBe(404);
      });
    });

    describe('media tokens', () => {
      let audioId: string;
      beforeAll(async () => {
        audioId = (await upload(wav({ seconds: 1 }), 'a.wav')).body.id;
      });

      it('a valid token opens the file without an API key', async () => {
        const token = running.engine.audio.links.token(audioId, 'wav');
        const response = await request(app()).get(`/media/${audioId}.wav?token=${token}`);
        expect(response.status).toBe(200);
      });

      it.each([
        ['a forged token', (id: string) => `${Math.floor(Date.now() / 1000) + 3600}-${'0'.repeat(64)}`, 'MEDIA_TOKEN_INVALID'],
        ['an expired token', (id: string) => running.engine.audio.links.token(id, 'wav', Math.floor(Date.now() / 1000) - 1), 'MEDIA_TOKEN_EXPIRED'],
        ['another file’s token', () => running.engine.audio.links.token(crypto.randomUUID(), 'wav'), 'MEDIA_TOKEN_INVALID'],
        ['no token', () => '', 'MEDIA_TOKEN_INVALID'],
      ])('%s answers 403 in the standard body', async (_name, tokenFor, code) => {
        const response = await request(app()).get(`/media/${audioId}.wav?token=${tokenFor(audioId)}`);
        expect(response.status).toBe(403);
        expect(response.body.error).toEqual({ code, message: expect.any(String), details: {} });
      });

      it('a valid token for an id that never existed is 404; a bad path is 404', async () => {
        const id = crypto.randomUUID();
        const response = await request(app()).get(`/media/${id}.wav?token=${running.engine.audio.links.token(id, 'wav')}`);
        expect(response.status).toBe(404);
        expect((await request(app()).get('/media/../etc/passwd')).status).toBe(404);
      });
    });

    it('rebuilding the audio read model gives the same rows', async () => {
      const before = (await request(app()).get('/api/v1/audio?per_page=100').set(auth())).body.data;
      await running.engine.runner('audio')!.rebuild();
      const deadline = Date.now() + 10_000;
      let after: unknown[] = [];
      while (Date.now() < deadline) {
        after = (await request(app()).get('/api/v1/audio?per_page=100').set(auth())).body.data;
        if (after.length === before.length) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(after).toEqual(before);
    });

    async function waitForAudio(id: string, done: (status: number, body: any) => boolean): Promise<void> {
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline) {
        const response = await request(app()).get(`/api/v1/audio/${id}`).set(auth());
        status = response.status;
        if (done(status, response.body)) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`audio ${id} did not reach the expected state; last status ${status}`);
    }

    let otherKey: string | null = null;
    async function otherTenant(): Promise<string> {
      if (otherKey) return otherKey;
      const operator = { actor: 'system:test', correlationId: 'c', causationId: 'c' };
      const account = await running.engine.accounts.open(operator, { name: 'Other tenant', defaultCountry: 'GB', currency: 'GBP', timeZone: 'Europe/London' });
      const key = await running.engine.accounts.issueKey(operator, account.accountId, { name: 'other', mode: 'live', scopes: [] });
      await running.engine.waitForProjections(key.position);
      otherKey = key.secret;
      return otherKey;
    }
  });
}

describe.skipIf(!ffmpegInstalled)('an engine whose ffmpeg is missing', () => {
  let running: RunningEngine;
  beforeAll(async () => {
    running = await startTestEngine(await testDatabases()[0]!.open(), {
      env: { FFPROBE_PATH: '/nonexistent/ffprobe', FFMPEG_PATH: '/nonexistent/ffmpeg' },
    });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('starts, and answers uploads with a clear 503 instead of crashing; nothing is stored', async () => {
    const response = await request(running.engine.app)
      .post('/api/v1/audio')
      .set('Authorization', `Bearer ${running.apiKey}`)
      .attach('file', wav({ seconds: 1 }), 'a.wav');
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('AUDIO_PROCESSING_UNAVAILABLE');
    expect(response.body.error.message).toMatch(/ffmpeg/);
    expect(filesUnder(running.audioDir)).toEqual([]);
  });
});
