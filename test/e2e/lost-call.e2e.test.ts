/**
 * The lost-call rule end to end: an answered call whose PBX dies under it ends LOST with no
 * Q.850 cause, is billed from its answer to the last fact the PBX gave about its channel (or not
 * at all, per LOST_CALL_BILLING), and its audit says which rule was applied and matches the ledger.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { startTestEngine, waitForCall, type RunningEngine } from './support/engine.ts';


/** Places a call that answers and stays up, waits until the PBX has reported on it since the answer, then crashes the PBX. */
async function loseACall(running: RunningEngine) {
  const auth = { Authorization: `Bearer ${running.apiKey}` };
  const placed = await request(running.engine.app).post('/api/v1/calls').set(auth).send({ phone_number: '+923001234567' });
  expect(placed.status).toBe(201);
  const callId = placed.body.id as string;
  await waitForCall(running.engine, running.apiKey, callId, (c) => c.timeline.some((e: any) => e.type === 'PlaybackStarted'));
  await running.simulator.restart({ downForMs: 100 });
  const call = await waitForCall(running.engine, running.apiKey, callId, (c) => c.status === 'LOST', 30_000);
  const audit = await poll('the charge of the lost call', async () => {
    const res = await request(running.engine.app).get(`/api/v1/calls/${callId}/audit`).set(auth);
    return res.status === 200 && res.body.verdict !== 'PENDING' ? res.body : null;
  });
  return { call, audit, lost: call.timeline.find((e: any) => e.type === 'CallLost') };
}

for (const backend of testDatabases()) {
  describe(`a call lost in a PBX crash, billed until the last fact seen, on ${backend.name}`, () => {
    let running: RunningEngine;
    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), { heartbeatIntervalMs: 50 });
    });
    afterAll(async () => {
      await running?.close();
    });

    it('ends LOST with no cause, billed from the answer to the last fact, and the audit names the rule', async () => {
      const { call, audit, lost } = await loseACall(running);
      expect(call.hangup_cause).toBeNull();
      expect(call.timeline.map((e: any) => e.type)).not.toContain('CallCompleted');
      expect(lost.data).toMatchObject({ billingRule: 'until_last_seen', reason: 'lost while disconnected' });

      const { answeredAt, lastSeenAt, detectedAt, billableUntil, billableMs } = lost.data;
      // The playback began after the answer, so the PBX was heard from after it.
      expect(Date.parse(lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(call.timeline.find((e: any) => e.type === 'PlaybackStarted').data.at));
      expect(billableUntil).toBe(lastSeenAt);
      expect(Date.parse(billableUntil)).toBeLessThanOrEqual(Date.parse(detectedAt));
      expect(billableMs).toBe(Date.parse(billableUntil) - Date.parse(answeredAt));
      expect(call.billable_ms).toBe(billableMs);

      expect(audit).toMatchObject({
        verdict: 'MATCH',
        evidence: { outcome: 'LOST', cause: null, billableMs, terminalEventType: 'CallLost' },
        lostCall: { billingRule: 'until_last_seen', lastSeenAt, detectedAt, billableUntil },
      });
      expect(audit.lostCall.explanation).toContain(`the last fact from the PBX showing the channel up was at ${lastSeenAt}`);
      expect(audit.recomputed.steps[0]).toMatch(/^lost call: billing rule until_last_seen/);
      expect(audit.ledger.billableMs).toBe(billableMs);
    });
  });
}

const [pglite] = testDatabases();

describe('a lost call under LOST_CALL_BILLING=not_billed', () => {
  let running: RunningEngine;
  beforeAll(async () => {
    running = await startTestEngine(await pglite!.open(), { heartbeatIntervalMs: 50, env: { LOST_CALL_BILLING: 'not_billed' } });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('costs nothing, not even the connection fee, and the audit says the operator waived it', async () => {
    const { call, audit, lost } = await loseACall(running);
    expect(lost.data).toMatchObject({ billingRule: 'not_billed', billableUntil: null, billableMs: 0 });
    expect(call).toMatchObject({ status: 'LOST', billable_ms: 0, hangup_cause: null });
    expect(audit).toMatchObject({ verdict: 'MATCH', evidence: { attempt: 'waived' }, lostCall: { billingRule: 'not_billed' }, ledger: { amountMinor: 0 } });
    expect(audit.lostCall.explanation).toContain('does not charge calls whose end the PBX never reported');
  });
});
