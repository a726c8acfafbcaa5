import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { callStream } from '../../src/domain/shared/streams.ts';
import { runCliOn } from '../audit/support/cli.ts';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { startTestEngine, type RunningEngine } from './support/engine.ts';

/**
 * `calltrail audit compliance --from --to` on the whole engine, on every backend: a log the engine
 * wrote passes (a call dialled inside the account's hours, a listed number refused with 451 and so
 * never dialled); a call written straight into es_events with SQL, bypassing every check, to a
 * listed number is flagged, and so is one dialled outside the hours recorded on its request. The
 * dispute report of a call carries the same proof.
 */

const NOW = '2026-12-03T06:00:00.000Z'; // 11:00 in Karachi
const FREE = '+923001110001';
const LISTED = '+923001110002';
const LATE = '+923001110003';

for (const backend of testDatabases()) {
  describe(`audit compliance on ${backend.name}`, () => {
    let database: Database;
    let running: RunningEngine;
    const clock = new ManualClock(NOW);
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });
    const cli = (...argv: string[]) => runCliOn(database, running.engine.store, ...argv);
    const audit = async () => {
      const run = await cli('audit', 'compliance', '--from', '2026-12-03', '--to', '2026-12-04', '--json');
      return { code: run.code, report: JSON.parse(run.out) };
    };

    /**
     * Waits until the call's CallDialing shows in the global order the audit reads. On Postgres a row
     * shows once no older transaction in the cluster is still open, and other test files share the server.
     */
    const inGlobalOrder = (callId: string) =>
      poll(`call ${callId} in the global order`, async () => {
        const dialing = (await running.engine.store.readStream(callStream(callId))).find((event) => event.type === 'CallDialing');
        if (!dialing) return false;
        const after = { commit: dialing.position.commit, prepare: dialing.position.prepare - 1n };
        return (await running.engine.store.readAll({ after, maxCount: 1 }))[0]?.streamName === callStream(callId);
      }, 60_000);

    /** A call to `to` written as two rows straight into the event table: no placement, no dialer, no check. */
    const insertDialledCall = async (to: string, dialledAt: string, callingWindow?: unknown) => {
      const callId = crypto.randomUUID();
      const meta = (n: number) => ({
        eventId: crypto.randomUUID(), correlationId: `sql-${callId}`, causationId: `sql-${n}`, tenantId: running.accountId,
        actor: 'sql:intruder', occurredAt: dialledAt, schemaVersion: n === 0 ? 3 : 1,
      });
      const rows = [
        {
          type: 'CallRequested',
          data: {
            callId, tenantId: running.accountId, to, from: null, audioId: null, record: false, ringTimeoutSeconds: 30, maxDurationSeconds: 60,
            campaignId: null, mode: 'live', optOutDigit: null, requestedAt: dialledAt, ...(callingWindow === undefined ? {} : { callingWindow }),
          },
        },
        { type: 'CallDialing', data: { callId, channelId: `ct-${callId}`, at: dialledAt } },
      ];
      for (const [revision, row] of rows.entries()) {
        const metadata = meta(revision);
        await sql`insert into es_events (stream_name, stream_revision, event_id, type, schema_version, data, metadata, tenant_id, correlation_id)
          values (${callStream(callId)}, ${revision}, ${metadata.eventId}, ${row.type}, ${metadata.schemaVersion}, ${JSON.stringify(row.data)}::jsonb,
                  ${JSON.stringify(metadata)}::jsonb, ${running.accountId}, ${metadata.correlationId})`.execute(database.db);
      }
      await inGlobalOrder(callId);
      return callId;
    };

    beforeAll(async () => {
      database = await backend.open();
      running = await startTestEngine(database, { clock });
      const hours = await request(running.engine.app)
        .patch(`/api/v1/accounts/${running.accountId}`)
        .set(auth())
        .send({ calling_hours: { start: '09:00', end: '18:00', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] } });
      expect(hours.status, JSON.stringify(hours.body)).toBe(200);
    }, 60_000);
    afterAll(async () => {
      await running?.close();
    });

    it('passes a log the engine wrote: the dialled call is proven unlisted and inside its hours; the refused one was never dialled', async () => {
      const placed = await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: FREE });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      await inGlobalOrder(placed.body.id);
      expect((await request(running.engine.app).post('/api/v1/compliance/dnc').set(auth()).send({ phone: LISTED })).status).toBe(201);
      expect((await request(running.engine.app).post('/api/v1/calls').set(auth()).send({ phone_number: LISTED })).status).toBe(451);

      const { code, report } = await audit();
      expect(code).toBe(0);
      expect(report).toMatchObject({ dialled: 1, blocked: 0, violations: 0 });
      expect(report.calls).toEqual([
        expect.objectContaining({
          callId: placed.body.id,
          phone: FREE,
          tenantId: running.accountId,
          dnc: { listed: false, eventsFolded: 0, lastEventPosition: null },
          window: { verdict: 'inside', source: 'call', hours: { start: '09:00', end: '18:00' }, days: expect.any(Array), zones: ['Asia/Karachi'] },
          violations: [],
        }),
      ]);
      const text = await cli('audit', 'compliance', '--from', '2026-12-03', '--to', '2026-12-04', '--no-progress');
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/PASS/);
      expect(text.out).toContain(FREE);

      const dispute = JSON.parse((await cli('export', 'dispute', placed.body.id, '--format', 'json')).out);
      expect(dispute.compliance).toMatchObject({ callId: placed.body.id, dnc: { listed: false }, window: { verdict: 'inside' }, violations: [] });
    }, 60_000);

    it('flags a call inserted by SQL to a listed number, and one dialled outside the hours on its request; exit 1', async () => {
      const toListed = await insertDialledCall(LISTED, '2026-12-03T06:10:00.000Z');
      const late = await insertDialledCall(LATE, '2026-12-03T15:00:00.000Z', { hours: { start: '09:00', end: '18:00' }, days: ['thu'], zones: ['Asia/Karachi'] });

      const { code, report } = await audit();
      expect(code).toBe(1);
      expect(report.violations).toBe(2);
      const byId = new Map(report.calls.map((call: { callId: string }) => [call.callId, call]));
      expect(byId.get(toListed)).toMatchObject({
        phone: LISTED,
        dnc: { listed: true, entry: { scope: 'tenant', eventType: 'DncEntryAdded' }, eventsFolded: 1 },
        window: { verdict: 'not_recorded' },
        violations: [expect.stringMatching(/tenant do-not-call list/)],
      });
      expect(byId.get(late)).toMatchObject({
        phone: LATE,
        dnc: { listed: false, eventsFolded: 1 },
        window: { verdict: 'outside', source: 'call', zones: ['Asia/Karachi'] },
        violations: [expect.stringMatching(/outside its calling window/)],
      });
      const text = await cli('audit', 'compliance', '--from', '2026-12-03', '--to', '2026-12-04', '--no-progress');
      expect(text.code).toBe(1);
      expect(text.out).toMatch(/VIOLATIONS/);
      expect(text.out).toMatch(new RegExp(`${toListed}.*LISTED`));

      // Outside the period, nothing is judged.
      const before = await cli('audit', 'compliance', '--from', '2026-12-01', '--to', '2026-12-02', '--json');
      expect(before.code).toBe(0);
      expect(JSON.parse(before.out)).toMatchObject({ dialled: 0, violations: 0 });

      const dispute = await cli('export', 'dispute', toListed, '--format', 'html');
      expect(dispute.out).toContain('Compliance at the moment of dialling');
      expect(dispute.out).toMatch(/data-field="compliance">VIOLATION/);
    }, 60_000);

    it('refuses a bad period with exit 2', async () => {
      expect((await cli('audit', 'compliance', '--from', '2026-12-04', '--to', '2026-12-03')).code).toBe(2);
      expect((await cli('audit', 'compliance', '--from', 'yesterday', '--to', '2026-12-03')).code).toBe(2);
      expect((await cli('audit', 'compliance', '--to', '2026-12-03')).code).toBe(2);
    });
  });
}
