import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { startTestEngine, waitForCall, type RunningEngine } from './support/engine.ts';

const TERMINAL = new Set(['COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST']);
const ended = (body: any) => TERMINAL.has(body.status);

for (const backend of testDatabases()) {
  describe(`a call end to end on ${backend.name}: HTTP → event store → ARI adapter → simulator → read model`, () => {
    let running: RunningEngine;
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });

    beforeAll(async () => {
      running = await startTestEngine(await backend.open());
    });
    afterAll(async () => {
      await running?.close();
    });

    it('an answered call plays its audio, hangs up and ends COMPLETED with billable time from answer', async () => {
      const placed = await request(running.engine.app)
        .post('/api/v1/calls')
        .set(auth())
        // No audio_id: an unknown one is now refused (404 AUDIO_NOT_FOUND); playing an uploaded file is covered by audio.e2e.test.ts.
        .send({ phone_number: '03001234567' });
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({ status: 'REQUESTED', phone_number: '+923001234567', audio_id: null });
      expect(placed.headers.location).toBe(`/api/v1/calls/${placed.body.id}`);

      const call = await waitForCall(running.engine, running.apiKey, placed.body.id, ended);
      expect(call.status).toBe('COMPLETED');
      expect(call.hangup_cause).toEqual({ code: 16, text: expect.any(String) });
      const types = call.timeline.map((entry: any) => entry.type);
      expect(types).toEqual(
        expect.arrayContaining(['CallRequested', 'CallDialing', 'CallRinging', 'CallAnswered', 'PlaybackStarted', 'PlaybackFinished', 'CallCompleted']),
      );
      expect(types[0]).toBe('CallRequested');
      expect(types.at(-1)).toBe('CallCompleted');
      const answeredAt = Date.parse(call.answered_at);
      const endedAt = Date.parse(call.ended_at);
      expect(call.billable_ms).toBe(endedAt - answeredAt);
      expect(call.billable_ms).toBeGreaterThan(0);
      // ring time is never billable: the answer came after the ringing started
      expect(answeredAt).toBeGreaterThan(Date.parse(call.ringing_at));
      for (const entry of call.timeline) {
        expect(entry.correlation_id).toBe(call.timeline[0].correlation_id);
        expect(entry.event_id).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('a busy number ends BUSY with Q.850 cause 17 and no answer', async () => {
      const placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230486' });
      expect(placed.status).toBe(201);
      const call = await waitForCall(running.engine, running.apiKey, placed.body.id, ended);
      expect(call).toMatchObject({ status: 'BUSY', answered_at: null, retryable: true, billable_ms: 0 });
      expect(call.hangup_cause.code).toBe(17);
    });

    it('lists calls newest first, filters by status, and never shows another tenant', async () => {
      const list = await request(running.engine.app).get('/api/v1/calls?page=1&per_page=1').set(auth());
      expect(list.status).toBe(200);
      expect(list.body.pagination).toMatchObject({ page: 1, per_page: 1 });
      expect(list.body.pagination.total).toBeGreaterThanOrEqual(2);
      expect(list.body.data[0].phone_number).toBe('+923001230486');

      const busy = await request(running.engine.app).get('/api/v1/calls?status=busy').set(auth());
      expect(busy.body.data.every((c: any) => c.status === 'BUSY')).toBe(true);

      const other = await running.engine.accounts.open(
        { actor: 'system:test', correlationId: 'c', causationId: 'c' },
        { name: 'Other tenant', defaultCountry: 'GB', currency: 'GBP', timeZone: 'Europe/London' },
      );
      const key = await running.engine.accounts.issueKey({ actor: 'system:test', correlationId: 'c', causationId: 'c' }, other.accountId, {
        name: 'other',
        mode: 'live',
        scopes: [],
      });
      await running.engine.waitForProjections(key.position);
      const theirs = await request(running.engine.app).get('/api/v1/calls').set('Authorization', `Bearer ${key.secret}`);
      expect(theirs.status).toBe(200);
      expect(theirs.body.data).toEqual([]);
      const foreign = await request(running.engine.app)
        .get(`/api/v1/calls/${list.body.data[0].id}`)
        .set('Authorization', `Bearer ${key.secret}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('CALL_NOT_FOUND');
    });

    it('refuses a bad number with 422 and writes nothing', async () => {
      const before = await request(running.engine.app).get('/api/v1/calls').set(auth());
      const bad = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: '12' });
      expect(bad.status).toBe(422);
      expect(bad.body.error.code).toBe('INVALID_PHONE_NUMBER');
      const after = await request(running.engine.app).get('/api/v1/calls').set(auth());
      expect(after.body.pagination.total).toBe(before.body.pagination.total);
    });

    it('a live call hung up through the API ends COMPLETED with the hangup recorded', async () => {
      const placed = await request(running.engine.app)
        .post('/api/v1/calls')
        .set(auth())
        .send({ phone_number: '+923001230199' }); // the simulator's callee would stay 99 s
      expect(placed.status).toBe(201);
      await waitForCall(running.engine, running.apiKey, placed.body.id, (c) => c.status === 'ANSWERED' || ended(c));
      const hangup = await request(running.engine.app).post(`/api/v1/calls/${placed.body.id}/hangup`).set(auth());
      expect(hangup.status).toBe(202);
      const call = await waitForCall(running.engine, running.apiKey, placed.body.id, ended);
      expect(call.status).toBe('COMPLETED');
      const hangupEvent = call.timeline.find((entry: any) => entry.type === 'HangupRequested');
      expect(hangupEvent?.actor).toMatch(/^apikey:/);
      expect(call.timeline.at(-1).type).toBe('CallCompleted');
    });
  });
}
