import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAriSimulator, type AriSimulator } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { channelIdFor } from '../../../src/domain/call/channel-id.ts';
import { wav } from '../../support/audio-fixtures.ts';
import { poll } from '../../support/poll.ts';
import { childEngineEnv, EngineProcess, freePort } from './support/engine-processes.ts';

/**
 * Issue 12's crash test: two engine processes share one Postgres schema and one simulated PBX and
 * run a 2,000-contact campaign; one is killed with SIGKILL midway and started again. Nothing may be
 * dialled or charged twice, the limit must hold at the PBX, and the campaign must still finish.
 */
const url = process.env.TEST_DATABASE_URL;
if (!url) console.log('campaign crash test skipped: TEST_DATABASE_URL is not set (it needs Postgres)');

/** The issue asks for 2,000; CRASH_CONTACTS runs a smaller one while working on it. */
const CONTACTS = Number(process.env.CRASH_CONTACTS ?? 2_000);
const BUSY_EVERY = 10; // every 10th contact is busy: tried twice (max_retries 1, no delay)
const LIMIT = 50;
const KILL_AFTER_ENDS = Math.round(CONTACTS * 0.3);
const ENDS_WHILE_DOWN = Math.round(CONTACTS * 0.05);
/**
 * Deadlines only stop a hung run. Two engines on an idle 2-core machine end ~20 attempts a second;
 * on one shared with other work it was 2, so they allow one second per attempt.
 */
const PER_ATTEMPT_MS = 1_000;
/**
 * Answered calls last ~2.5 simulated seconds (answer at 1.5 s, then a 1 s broadcast) and busy ones
 * 0.5 s. At full scale the 50 slots are the bottleneck whenever the engines manage 20 calls a
 * second; on a busier machine the engines are, and the run takes longer.
 */
const TIME_SCALE = 1;

describe.skipIf(!url)('campaign crash test on Postgres', () => {
  const schema = `crash_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const workDir = mkdtempSync(join(tmpdir(), 'calltrail-crash-'));
  let admin: pg.Client;
  let db: pg.Pool;
  let simulator: AriSimulator;
  let a: EngineProcess;
  let b: EngineProcess;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    db = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
    simulator = await startAriSimulator({ timeScale: TIME_SCALE });
    const shared: NodeJS.ProcessEnv = {
      ...childEngineEnv({ databaseUrl: url!, schema, simulator, workDir }),
      ARI_TRUNK_CPS: '500',
      ARI_REQUEST_TIMEOUT_MS: '30000',
      CAMPAIGN_POLL_MS: '100',
      CAMPAIGN_ORPHAN_AFTER_MS: '2000',
    };
    a = new EngineProcess('engine A', { ...shared, PORT: String(await freePort()) }, join(workDir, 'a.log'));
    b = new EngineProcess('engine B', { ...shared, PORT: String(await freePort()) }, join(workDir, 'b.log'));
    // A first: it creates the tables and the account; B then starts on a store that has them.
    await a.start({ seed: true });
    await b.start();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    a?.close();
    b?.close();
    await simulator?.close();
    await db?.end();
    if (process.env.KEEP_CRASH_LOGS) console.log(`schema ${schema} kept`);
    else await admin?.query(`drop schema if exists ${schema} cascade`);
    await admin?.end();
    if (process.env.KEEP_CRASH_LOGS) console.log(`engine logs kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  });

  const count = async (where: string, ...params: unknown[]): Promise<number> =>
    Number((await db.query(`select count(*)::int as n from es_events where ${where}`, params)).rows[0].n);

  it('completes with nothing dialled or charged twice after one process is killed midway', async () => {
    const api = String(a.report('listening'));
    const auth = { Authorization: `Bearer ${String(a.report('apiKey'))}` };
    const audio = await request(api).post('/api/v1/audio').set(auth).attach('file', wav({ seconds: 1 }), 'broadcast.wav');
    expect(audio.status, JSON.stringify(audio.body)).toBe(201);
    await poll('audio ready', async () => {
      const got = await request(api).get(`/api/v1/audio/${audio.body.id}`).set(auth);
      return got.body.status === 'ready';
    }, 30_000);

    // Unique Pakistani mobiles; the last four digits pick the simulator's script: 0486 busy,
    // 0103 answered (the callee would hang up after 3 s; the broadcast ends it first).
    const phones = Array.from({ length: CONTACTS }, (_, i) => {
      const script = i % BUSY_EVERY === 0 ? '0486' : '0103';
      return `+92${300 + Math.floor(i / 1000)}${String(i % 1000).padStart(3, '0')}${script}`;
    });
    const busy = phones.filter((phone) => phone.endsWith('0486')).length;
    const csv = `phone_number,name\n${phones.map((phone, i) => `${phone},Contact ${i}`).join('\n')}\n`;
    const created = await request(api)
      .post('/api/v1/campaigns')
      .set(auth)
      .field('name', 'Crash test')
      .field('audio_id', audio.body.id)
      .field('max_retries', '1')
      .field('retry_delay_minutes', '0')
      .field('concurrent_limit', String(LIMIT))
      .field('start', 'false')
      .attach('csv_file', Buffer.from(csv), 'contacts.csv');
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = created.body.id as string;
    // Started apart from the upload: the create answers once the read models have its 2,000
    // contacts, which on a loaded machine they may not in time if the dialling had begun too.
    const start = await request(api).post(`/api/v1/campaigns/${campaignId}/start`).set(auth);
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const stream = `campaign-${campaignId}`;
    const ended = () => count(`stream_name = $1 and type = 'ContactAttemptEnded'`, stream);
    const began = Date.now();
    const phase = async (name: string) => console.log(`${((Date.now() - began) / 1000).toFixed(1)} s: ${name}, ${await ended()} attempts ended, peak ${simulator.counters().peakLiveChannels}`);

    await poll(`${KILL_AFTER_ENDS} ended attempts`, async () => (await ended()) >= KILL_AFTER_ENDS, KILL_AFTER_ENDS * PER_ATTEMPT_MS);
    await phase('killing A');
    await a.kill();
    const atKill = await ended();
    // B goes on alone; A's calls in flight are on the PBX with nobody listening to them.
    await poll(`${ENDS_WHILE_DOWN} more ended attempts with A down`, async () => (await ended()) >= atKill + ENDS_WHILE_DOWN, 60_000 + ENDS_WHILE_DOWN * PER_ATTEMPT_MS);
    await phase('restarting A');
    await a.start();
    await phase('A restarted');

    await poll('campaign completed', async () => (await count(`stream_name = $1 and type = 'CampaignCompleted'`, stream)) === 1, CONTACTS * 1.1 * PER_ATTEMPT_MS);

    await phase('completed');
    // Every contact has a final outcome: busy ones after both their attempts, the rest answered.
    // Both processes' read models say so too, once they have caught up with the log.
    for (const engine of [a, b]) {
      let last: unknown;
      await poll(`${engine.name} to show the campaign completed`, async () => {
        const got = await request(String(engine.report('listening'))).get(`/api/v1/campaigns/${campaignId}`).set(auth);
        last = { status: got.status, body: got.body };
        return got.body.status === 'completed';
      }, 60_000).catch((error: Error) => {
        throw new Error(`${error.message}; last answer: ${JSON.stringify(last)}`);
      });
    }
    const finals = await db.query(
      `select data->>'contactId' as contact, data->>'outcome' as outcome, count(*) over (partition by data->>'contactId')::int as tries
         from es_events where stream_name = $1 and type = 'ContactAttemptEnded' order by stream_revision`,
      [stream],
    );
    const lastOutcome = new Map<string, string>();
    for (const row of finals.rows) lastOutcome.set(row.contact, row.outcome);
    expect(lastOutcome.size).toBe(CONTACTS);

    const started = await count(`stream_name = $1 and type = 'ContactAttemptStarted'`, stream);
    const released = await count(`stream_name = $1 and type = 'ContactAttemptReleased'`, stream);
    const retries = await count(`stream_name = $1 and type = 'ContactRetryScheduled'`, stream);
    expect(released).toBe(0);
    expect(started).toBe(CONTACTS + retries);
    // A busy contact is retried once; one whose first attempt was in flight on the killed process
    // ends LOST instead, which is not among the retried outcomes, so it may go without its retry.
    const lost = [...lastOutcome.values()].filter((outcome) => outcome === 'LOST').length;
    expect(retries).toBeLessThanOrEqual(busy);
    expect(retries).toBeGreaterThanOrEqual(busy - lost);
    const busyOnce = finals.rows.filter((row) => row.outcome === 'BUSY' && row.tries !== 2 && lastOutcome.get(row.contact) === 'BUSY');
    expect(busyOnce, 'a contact that ended busy had both its attempts').toEqual([]);

    // One CallDialing per call, and one channel per dialled call at the PBX.
    const dialing = await db.query(`select stream_name, count(*)::int as n from es_events where type = 'CallDialing' group by stream_name`);
    expect(dialing.rows.filter((row) => row.n !== 1)).toEqual([]);
    expect(dialing.rows.length).toBe(started);
    const { createdPerChannelId, peakLiveChannels } = simulator.counters();
    expect([...createdPerChannelId].filter(([, n]) => n !== 1)).toEqual([]);
    const dialled = new Set(dialing.rows.map((row) => channelIdFor(String(row.stream_name).slice('call-'.length))));
    expect([...createdPerChannelId.keys()].filter((channelId) => !dialled.has(channelId))).toEqual([]);
    expect(peakLiveChannels).toBeLessThanOrEqual(LIMIT);

    // One charge per call on the wallet stream.
    const charges = await db.query(
      `select data->>'callId' as call, count(*)::int as n from es_events where type = 'CallCharged' and stream_name like 'wallet-%' group by 1`,
    );
    expect(charges.rows.filter((row) => row.n !== 1)).toEqual([]);
    // A call whose every PBX event went to the process that was dead is ended as lost on its
    // restart (nobody saw what became of it); only calls in flight at the kill can end that way.
    const outcomes = countBy([...lastOutcome.values()]);
    expect(Object.keys(outcomes).filter((outcome) => !['COMPLETED', 'BUSY', 'LOST'].includes(outcome))).toEqual([]);
    expect(outcomes.LOST ?? 0).toBeLessThanOrEqual(LIMIT);
    console.log(JSON.stringify({ started, retries, busy, dialled: dialing.rows.length, channels: createdPerChannelId.size, peakLiveChannels, charges: charges.rows.length, outcomes }));
  }, 300_000 + CONTACTS * 2 * PER_ATTEMPT_MS);
});

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}
