import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wav } from '../../support/audio-fixtures.ts';
import { testDatabases } from '../../support/databases.ts';
import { poll } from '../../support/poll.ts';
import { startTestEngine, type RunningEngine } from '../support/engine.ts';

for (const backend of testDatabases().slice(0, 1)) {
  describe(`campaign smoke on ${backend.name}`, () => {
    let running: RunningEngine;
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });
    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), { env: { CAMPAIGN_POLL_MS: '50' } });
    });
    afterAll(async () => running?.close());

    it('runs a ZensCall multipart campaign to completion', async () => {
      const audio = await request(running.engine.app).post('/api/v1/audio').set(auth()).attach('file', wav({ seconds: 1 }), 'a.wav');
      expect(audio.status, JSON.stringify(audio.body)).toBe(201);
      const csv = 'phone_number,name\n+923001110001,A\n+923001110486,B\n+923001110408,C\n';
      const created = await request(running.engine.app)
        .post('/api/v1/campaigns')
        .set(auth())
        .field('name', 'March Promotion')
        .field('audio_id', audio.body.id)
        .field('max_retries', '1')
        .field('retry_delay_minutes', '0')
        .field('concurrent_limit', '10')
        .attach('csv_file', Buffer.from(csv), 'phone_numbers.csv');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.id;
      const done = await poll('completed', async () => {
        const got = await request(running.engine.app).get(`/api/v1/campaigns/${id}`).set(auth());
        return got.body.status === 'completed' ? got.body : null;
      }, 60_000);
      console.log(JSON.stringify(done, null, 1));
      expect(done.statistics.totals.completed).toBe(1);
    }, 90_000);
  });
}
