/**
 * Issue 12's campaign benchmark: one ZensCall-style campaign of BENCH_CONTACTS contacts (10,000)
 * with concurrent_limit BENCH_LIMIT (200), every call answered at once and hung up by the callee
 * BENCH_CALL_SECONDS (3) later, on Postgres.
 *
 * The engine runs as its own process (the crash test's engine-process.ts) so that its peak RSS is
 * its own; the ARI simulator runs here, standing in for a PBX on another machine. Reported:
 * - line utilisation: the channels live at the simulator, sampled every 50 ms and averaged over
 *   the time from the start request until the last contact's call was originated ("while work
 *   remains"; after that fewer contacts are left than lines), divided by the limit;
 * - wall time from the start request until the campaign reads completed, against the ideal
 *   contacts × call length / limit;
 * - the engine's peak RSS (VmHWM of its process);
 * - the CSV import rate for BENCH_IMPORT_ROWS (100,000) rows against csv-parse alone, measured in
 *   this run by the contacts-import bench (0 skips it).
 *
 * Database: BENCH_DATABASE_URL, TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test;
 * the engine gets a schema of its own, dropped afterwards. BENCH_CPU_PROF=<dir> starts the engine
 * with node's --cpu-prof, writing its profile there when it stops.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startAriSimulator, type AriSimulator, type OutcomeRule } from '../src/adapters/telephony/ari-simulator/index.ts';
import { generateOperatorKey } from '../src/commands/accounts/api-key-secrets.ts';
import { wav } from '../test/support/audio-fixtures.ts';
import { childEngineEnv, EngineProcess, freePort } from '../test/e2e/campaigns/support/engine-processes.ts';
import { measureContactsImport, printImportRates } from './contacts-import.bench.ts';
import { sizeFromEnv } from './support/rates.ts';

const SAMPLE_MS = 50;

export default async function bench(): Promise<void> {
  const contacts = sizeFromEnv('BENCH_CONTACTS', 10_000);
  const limit = sizeFromEnv('BENCH_LIMIT', 200);
  const callSeconds = sizeFromEnv('BENCH_CALL_SECONDS', 3);
  const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const profileDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;
  const ideal = (contacts * callSeconds) / limit;
  console.log(`${contacts.toLocaleString('en-US')} contacts, concurrent_limit ${limit}, ${callSeconds} s answered calls, PostgreSQL; ideal ${ideal.toFixed(1)} s`);

  const schema = `bench_campaign_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const workDir = mkdtempSync(join(tmpdir(), 'calltrail-campaign-bench-'));
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  // Every call: answered at once, the callee hangs up after `callSeconds` (the broadcast is longer).
  const rules: OutcomeRule[] = [
    { name: 'bench call', when: /$/, script: { outcome: 'answer', ringingAfterMs: null, answerAfterMs: 0, calleeHangupAfterMs: callSeconds * 1000 } },
  ];
  const simulator = await startAriSimulator({ rules });
  // The sandbox's opening deposit covers a few thousand calls: the operator tops the account up.
  const operatorKey = generateOperatorKey();
  const engine = new EngineProcess(
    'engine',
    {
      ...childEngineEnv({ databaseUrl: url, schema, simulator, workDir }),
      // The trunk's cap is not what is measured: well above the limit / call length.
      ARI_TRUNK_CPS: '2000',
      ARI_REQUEST_TIMEOUT_MS: '30000',
      PORT: String(await freePort()),
      OPERATOR_API_KEY_HASH: operatorKey.hash,
    },
    join(workDir, 'engine.log'),
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  try {
    await engine.start({ seed: true });
    const api = String(engine.report('listening'));
    const auth = { Authorization: `Bearer ${String(engine.report('apiKey'))}` };
    const call = async (method: string, path: string, body?: FormData | object, headers: Record<string, string> = auth): Promise<any> => {
      const json = body !== undefined && !(body instanceof FormData);
      const response = await fetch(`${api}${path}`, {
        method,
        headers: json ? { ...headers, 'Content-Type': 'application/json' } : headers,
        ...(body === undefined ? {} : { body: json ? JSON.stringify(body) : (body as FormData) }),
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    };
    await call('POST', '/api/v1/credits/purchase', { account_id: engine.report('accountId'), amount_minor: contacts * 1000, reference: 'campaign-bench' }, { Authorization: `Bearer ${operatorKey.secret}` });

    const upload = new FormData();
    upload.append('file', new Blob([wav({ seconds: callSeconds + 5 })], { type: 'audio/wav' }), 'broadcast.wav');
    const audio = await call('POST', '/api/v1/audio', upload);
    await until(async () => (await call('GET', `/api/v1/audio/${audio.id}`)).status === 'ready', 60_000, 'audio ready');

    // Unique Pakistani mobiles (+92 3xx xxxxxxx).
    const phones = Array.from({ length: contacts }, (_, i) => `+92${300 + Math.floor(i / 10_000_000)}${String(i % 10_000_000).padStart(7, '0')}`);
    const form = new FormData();
    form.append('name', 'Campaign bench');
    form.append('audio_id', audio.id);
    form.append('max_retries', '0');
    form.append('concurrent_limit', String(limit));
    form.append('start', 'false');
    form.append('csv_file', new Blob([`phone_number,name\n${phones.map((phone, i) => `${phone},Contact ${i}`).join('\n')}\n`], { type: 'text/csv' }), 'contacts.csv');
    const createdAt = performance.now();
    const created = await call('POST', '/api/v1/campaigns', form);
    const createSeconds = (performance.now() - createdAt) / 1000;
    console.log(`campaign created with ${contacts} contacts (CSV upload, import, enrollment) in ${createSeconds.toFixed(1)} s`);

    const sampler = new LineSampler(simulator, engine.pid!, contacts);
    const started = performance.now();
    await call('POST', `/api/v1/campaigns/${created.id}/start`);
    sampler.start(started);
    let final: any;
    await until(async () => {
      final = await call('GET', `/api/v1/campaigns/${created.id}`);
      return final.status === 'completed';
    }, Math.max(600_000, ideal * 20_000), 'campaign completed', 1000);
    const wall = (performance.now() - started) / 1000;
    sampler.stop();
    const peakRss = Math.max(sampler.peakRss, peakRssOf(engine.pid!));

    const { meanLive, dialWindow, peakLive } = sampler.result();
    const totals = final.statistics.totals;
    console.log(`outcome: ${totals.completed} completed, ${totals.failed} failed, ${totals.no_answer} no answer, ${totals.busy} busy; ${final.statistics.attempts} attempts`);
    console.log(`line utilisation while work remained (${dialWindow.toFixed(1)} s until the last originate): mean ${meanLive.toFixed(1)} of ${limit} lines live → ${(meanLive / limit).toFixed(3)} (target ≥ 0.95); peak ${peakLive}`);
    console.log(`wall time: ${wall.toFixed(1)} s against the ideal ${ideal.toFixed(1)} s → ${(wall / ideal).toFixed(2)}× (ideal / wall ${(ideal / wall).toFixed(3)})`);
    console.log(`engine peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB (its own process; the simulator runs in the bench's)`);
    await printSlotTurnaround(admin, schema);
  } finally {
    await engine.stop(60_000);
    engine.close();
    await simulator.close();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    if (process.env.BENCH_KEEP_LOGS) console.log(`engine log kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
    if (profileDir) console.log(`engine CPU profile written to ${profileDir}`);
  }

  if (importRows > 0) {
    console.log(`\nCSV import, ${importRows.toLocaleString('en-US')} rows, same run:`);
    printImportRates(await measureContactsImport(importRows, url));
  }
}

/**
 * Where a slot's time goes between two calls, from the log: a freed slot is claimed in the same
 * append that records the end, so a slot stands idle from the PBX's hangup until the next call's
 * CallDialing. Means over every attempt, in milliseconds.
 */
async function printSlotTurnaround(admin: pg.Client, schema: string): Promise<void> {
  const { rows } = await admin.query(`
    with events as materialized (
      select type, coalesce(data->>'callId', substr(stream_name, 6)) as call_id, data, (metadata->>'occurredAt')::timestamptz as at
        from ${schema}.es_events
       where type in ('ContactAttemptStarted', 'CallRequested', 'CallDialing', 'CallCompleted', 'ContactAttemptEnded')
    ),
    per_call as (
      select call_id,
             max(at) filter (where type = 'ContactAttemptStarted') as claimed,
             max(at) filter (where type = 'CallRequested') as requested,
             max(at) filter (where type = 'CallDialing') as dialing,
             max((data->>'endedAt')::timestamptz) filter (where type = 'CallCompleted') as hangup,
             max(at) filter (where type = 'CallCompleted') as completed,
             max(at) filter (where type = 'ContactAttemptEnded') as recorded
        from events group by call_id
    )
    select avg(extract(epoch from requested - claimed) * 1000) as claim_to_requested,
           avg(extract(epoch from dialing - requested) * 1000) as requested_to_dialing,
           avg(extract(epoch from completed - hangup) * 1000) as hangup_to_completed,
           avg(extract(epoch from recorded - completed) * 1000) as completed_to_recorded
      from per_call`);
  const row = rows[0] as Record<string, string | null | undefined>;
  const ms = (value: string | null | undefined) => (value == null ? 'n/a' : `${Math.round(Number(value))} ms`);
  console.log(
    `slot turnaround (means): PBX hangup → CallCompleted ${ms(row.hangup_to_completed)}, → attempt ended + next claim ${ms(row.completed_to_recorded)}; ` +
      `claim → CallRequested ${ms(row.claim_to_requested)}, → CallDialing ${ms(row.requested_to_dialing)}`,
  );
}

/**
 * Samples the channels live at the simulator and the engine's RSS. The dial window ends at the
 * first sample that finds every contact's channel created: from then on the remaining calls only
 * run out, and fewer lines than the limit are busy by necessity.
 */
class LineSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly samples: Array<{ at: number; live: number }> = [];
  private dialledAt: number | null = null;
  private startedAt = 0;
  peakRss = 0;

  constructor(
    private readonly simulator: AriSimulator,
    private readonly pid: number,
    private readonly contacts: number,
  ) {}

  start(at: number): void {
    this.startedAt = at;
    let ticks = 0;
    this.timer = setInterval(() => {
      const now = performance.now();
      if (this.dialledAt === null) {
        this.samples.push({ at: now, live: this.simulator.channels().filter((channel) => channel.snooping === null).length });
        if (this.simulator.counters().createdPerChannelId.size >= this.contacts) this.dialledAt = now;
      }
      if (ticks++ % 20 === 0) this.peakRss = Math.max(this.peakRss, rssOf(this.pid));
    }, SAMPLE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Time-weighted: each sample stands for the interval until the next one. */
  result(): { meanLive: number; dialWindow: number; peakLive: number } {
    const end = this.dialledAt ?? performance.now();
    let weighted = 0;
    let previous = this.startedAt;
    let peakLive = 0;
    for (const sample of this.samples) {
      weighted += sample.live * (sample.at - previous);
      previous = sample.at;
      peakLive = Math.max(peakLive, sample.live);
    }
    const span = end - this.startedAt;
    return { meanLive: span > 0 ? weighted / span : 0, dialWindow: span / 1000, peakLive };
  }
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const rssOf = (pid: number) => statusField(pid, 'VmRSS');
/** The kernel's high-water mark of the process's resident set (Linux). */
const peakRssOf = (pid: number) => statusField(pid, 'VmHWM');

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
