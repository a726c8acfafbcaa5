import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { callStream, scheduledCallStream } from '../../src/domain/shared/streams.ts';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { startTestEngine, type RunningEngine } from './support/engine.ts';
import { generateOperatorKey } from '../../src/app/authenticate.ts';
import { bearer, createTenant, JWT_SECRET } from './front-door/support.ts';

/**
 * Calling hours for single calls over HTTP on the whole engine, with a hand-moved clock, on every
 * database backend. The demo account is Pakistani: +92 numbers are judged in Asia/Karachi (UTC+5),
 * so 09:00–18:00 there is 04:00–13:00Z.
 */

const MONDAY_0800_KARACHI = '2026-03-02T03:00:00.000Z';
const MONDAY_0900_KARACHI = '2026-03-02T04:00:00.000Z';
const NUMBER = '+923001230408';

for (const backend of testDatabases()) {
  describe(`calling hours for single calls on ${backend.name}`, () => {
    const clock = new ManualClock(MONDAY_0800_KARACHI);
    let database: Database;
    let running: RunningEngine;
    const app = () => running.engine.app;
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });
    const place = (body: Record<string, unknown>) => request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: NUMBER, ...body });
    const typesOf = async (stream: string) => (await running.engine.store.readStream(stream)).map((event) => event.type);
    const setHours = (calling_hours: unknown) => request(app()).patch(`/api/v1/accounts/${running.accountId}`).set(auth()).send({ calling_hours });
    const waitUntilScheduled = (callId: string) =>
      poll('the scheduled call in its read model', async () => {
        const found = await request(app()).get(`/api/v1/calls/${callId}`).set(auth());
        return found.status === 200 && found.body.status === 'SCHEDULED';
      });
    const dialed = (callId: string) => poll(`call ${callId} dialled`, async () => (await typesOf(callStream(callId))).includes('CallDialing'));

    const operator = generateOperatorKey();
    const start = () => startTestEngine(database, { clock, env: { JWT_SECRET, OPERATOR_API_KEY_HASH: operator.hash } });

    beforeAll(async () => {
      database = await backend.open();
      running = await start();
      const patched = await setHours({ start: '09:00', end: '18:00' });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body.calling_hours).toEqual({ start: '09:00', end: '18:00', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], enforce: false });
    });
    afterAll(async () => {
      await running?.close();
    });

    it('refuses a call outside the hours with 422 and the next permitted time, writing nothing', async () => {
      clock.set(MONDAY_0800_KARACHI);
      const before = (await running.engine.store.readAll()).length;
      const refused = await place({});
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error).toMatchObject({
        code: 'OUTSIDE_CALLING_HOURS',
        details: { next_permitted_at: MONDAY_0900_KARACHI, zones: ['Asia/Karachi'] },
      });
      expect((await running.engine.store.readAll()).length).toBe(before);
    });

    it('places a call inside the hours, or under the call’s own hours, or with none for the call', async () => {
      clock.set('2026-03-02T05:00:00.000Z'); // 10:00 in Karachi
      const inside = await place({});
      expect(inside.status, JSON.stringify(inside.body)).toBe(201);
      await dialed(inside.body.id);

      clock.set(MONDAY_0800_KARACHI);
      const early = await place({ calling_hours: { start: '07:30', end: '08:30' } });
      expect(early.status, JSON.stringify(early.body)).toBe(201);
      const none = await place({ calling_hours: null });
      expect(none.status, JSON.stringify(none.body)).toBe(201);
      const late = await place({ calling_hours: { start: '10:00', end: '11:00' } });
      expect(late.status).toBe(422);
      expect(late.body.error.details.next_permitted_at).toBe('2026-03-02T05:00:00.000Z');
    });

    it('with schedule "next_window" keeps the call, dials nothing before its time, and dials it once at it', async () => {
      clock.set(MONDAY_0800_KARACHI);
      const scheduled = await place({ schedule: 'next_window' });
      expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(202);
      expect(scheduled.body).toMatchObject({ status: 'SCHEDULED', scheduled_for: MONDAY_0900_KARACHI, phone_number: NUMBER });
      const callId = scheduled.body.id as string;
      expect(scheduled.headers.location).toBe(`/api/v1/calls/${callId}`);
      await waitUntilScheduled(callId);

      clock.set('2026-03-02T03:59:59.000Z');
      await running.engine.callScheduler.runDue();
      expect(await typesOf(callStream(callId))).toEqual([]);
      expect(await typesOf(scheduledCallStream(callId))).toEqual(['CallScheduled']);

      clock.set('2026-03-02T04:00:01.000Z');
      await running.engine.callScheduler.runDue();
      await dialed(callId);
      await running.engine.callScheduler.runDue();
      const types = await typesOf(callStream(callId));
      expect(types.filter((type) => type === 'CallRequested')).toHaveLength(1);
      expect(await typesOf(scheduledCallStream(callId))).toEqual(['CallScheduled', 'ScheduledCallReleased']);
    });

    it('cancels a scheduled call with the hangup route; it is never placed', async () => {
      clock.set(MONDAY_0800_KARACHI);
      const scheduled = await place({ schedule: 'next_window' });
      const callId = scheduled.body.id as string;
      await waitUntilScheduled(callId);
      const cancelled = await request(app()).post(`/api/v1/calls/${callId}/hangup`).set(auth());
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(202);
      await poll('the cancellation in the read model', async () => (await request(app()).get(`/api/v1/calls/${callId}`).set(auth())).body.status === 'CANCELLED');

      clock.set('2026-03-02T06:00:00.000Z');
      await running.engine.callScheduler.runDue();
      expect(await typesOf(callStream(callId))).toEqual([]);
      expect(await typesOf(scheduledCallStream(callId))).toEqual(['CallScheduled', 'ScheduledCallCancelled']);
    });

    it('survives a restart: a call scheduled before it is placed exactly once after it', async () => {
      clock.set(MONDAY_0800_KARACHI);
      const scheduled = await place({ schedule: 'next_window' });
      const callId = scheduled.body.id as string;
      await waitUntilScheduled(callId);

      await running.engine.stop();
      running = await start();
      clock.set('2026-03-02T04:30:00.000Z');
      await running.engine.callScheduler.runDue();
      await dialed(callId);
      await running.engine.callScheduler.runDue();
      expect((await typesOf(callStream(callId))).filter((type) => type === 'CallRequested')).toHaveLength(1);
      expect((await typesOf(scheduledCallStream(callId))).filter((type) => type === 'ScheduledCallReleased')).toHaveLength(1);
    });

    it('never shows or cancels a scheduled call for another tenant', async () => {
      clock.set(MONDAY_0800_KARACHI);
      const scheduled = await place({ schedule: 'next_window' });
      const callId = scheduled.body.id as string;
      await waitUntilScheduled(callId);
      const other = await createTenant({ ...running, operatorKey: operator.secret }, 'Other', { email: 'other@hours.example', password: 'correct horse battery staple' });
      const seen = await request(app()).get(`/api/v1/calls/${callId}`).set(bearer(other.ownerKey));
      expect(seen.status).toBe(404);
      const cancelled = await request(app()).post(`/api/v1/calls/${callId}/hangup`).set(bearer(other.ownerKey));
      expect(cancelled.status).toBe(404);
      expect(await typesOf(scheduledCallStream(callId))).toEqual(['CallScheduled']);
      // Leave nothing waiting for the tests after this one.
      expect((await request(app()).post(`/api/v1/calls/${callId}/hangup`).set(auth())).status).toBe(202);
    });

    it('refuses malformed calling hours and an unknown schedule with 422 naming the field', async () => {
      const badAccount = await setHours({ start: '9am', end: '18:00' });
      expect(badAccount.status).toBe(422);
      expect(badAccount.body.error.details.issues).toEqual([expect.objectContaining({ path: 'calling_hours.start' })]);
      const sameEnds = await place({ calling_hours: { start: '10:00', end: '10:00' } });
      expect(sameEnds.status).toBe(422);
      expect(sameEnds.body.error.details.issues).toEqual([expect.objectContaining({ path: 'calling_hours.end' })]);
      const unknownKey = await place({ calling_hours: { start: '10:00', end: '11:00', timezone: 'UTC' } });
      expect(unknownKey.body.error.details.issues).toEqual([expect.objectContaining({ path: 'calling_hours.timezone' })]);
      const badSchedule = await place({ schedule: 'tomorrow' });
      expect(badSchedule.status).toBe(422);
      expect(badSchedule.body.error.details.issues).toEqual([expect.objectContaining({ path: 'schedule' })]);
    });

    it('an account that enforces its hours refuses a call’s own hours', async () => {
      const enforced = await setHours({ start: '09:00', end: '18:00', days: ['monday', 'tue'], enforce: true });
      expect(enforced.body.calling_hours).toEqual({ start: '09:00', end: '18:00', days: ['mon', 'tue'], enforce: true });
      clock.set(MONDAY_0800_KARACHI);
      const own = await place({ calling_hours: null });
      expect(own.status).toBe(422);
      expect(own.body.error.code).toBe('CALLING_HOURS_ENFORCED');
      const lifted = await setHours(null);
      expect(lifted.body.calling_hours).toBeNull();
      expect((await place({})).status).toBe(201);
    });
  });
}
