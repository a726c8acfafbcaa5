import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasFfmpeg, wav } from '../support/audio-fixtures.ts';
import { testDatabases } from '../support/databases.ts';
import { startTestEngine, type RunningEngine } from './support/engine.ts';

/** GET /api/v1/audio/:id/file: the console's player hears the 8 kHz WAV a call plays, with the tenant's key. */
const ffmpegInstalled = hasFfmpeg();
if (!ffmpegInstalled) console.log('audio file e2e skipped: ffmpeg/ffprobe are not installed (apt-get install ffmpeg)');

for (const backend of testDatabases()) {
  describe.skipIf(!ffmpegInstalled)(`an audio file's WAV on ${backend.name}`, () => {
    let running: RunningEngine;
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });

    beforeAll(async () => {
      running = await startTestEngine(await backend.open());
    });
    afterAll(async () => running?.close());

    it('serves the ready file as audio/wav to its tenant, and answers 404 to another tenant and for an unknown id', async () => {
      const uploaded = await request(running.engine.app).post('/api/v1/audio').set(auth()).attach('file', wav({ seconds: 1, sampleRate: 16_000 }), 'hello.wav');
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);

      // The upload's position: the read model has the file as ready before the read is answered.
      const position = uploaded.headers['calltrail-position'] as string;
      expect(position).toBeTruthy();
      const file = await request(running.engine.app).get(`/api/v1/audio/${uploaded.body.id}/file`).set(auth()).set('Calltrail-Position', position).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('audio/wav');
      const body = file.body as Buffer;
      expect(body.subarray(0, 4).toString('ascii')).toBe('RIFF');
      expect(body.readUInt32LE(24), 'the 8 kHz playback copy').toBe(8000);
      expect(Number(file.headers['content-length'])).toBe(body.length);

      const operator = { actor: 'system:test', correlationId: 'c', causationId: 'c' };
      const other = await running.engine.accounts.open(operator, { name: 'Other tenant', defaultCountry: 'GB', currency: 'GBP', timeZone: 'Europe/London' });
      const key = await running.engine.accounts.issueKey(operator, other.accountId, { name: 'other', mode: 'live', scopes: [] });
      await running.engine.waitForProjections(key.position);
      const foreign = await request(running.engine.app).get(`/api/v1/audio/${uploaded.body.id}/file`).set('Authorization', `Bearer ${key.secret}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('AUDIO_NOT_FOUND');

      const unknown = await request(running.engine.app).get('/api/v1/audio/00000000-0000-4000-8000-000000000000/file').set(auth());
      expect(unknown.status).toBe(404);
    });
  });
}
