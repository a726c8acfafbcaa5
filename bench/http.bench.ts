import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import autocannon from 'autocannon';
import express from 'express';
import { openScratchDatabase } from './support/scratch-database.ts';
import { startTestEngine } from '../test/e2e/support/engine.ts';
import { loadConfig, type EngineConfig } from '../src/app/config.ts';
import { once } from 'node:events';
import pino from 'pino';
import { consoleLogger } from '../src/app/logger.ts';
import { EngineMetrics } from '../src/app/metrics/engine-metrics.ts';
import { routeTemplateOf } from '../src/http/metrics.ts';
import { systemClock } from '../src/domain/shared/clock.ts';

/**
 * Requests per second through the whole front door (authentication by API key, rate-limit
 * counters in the database, scope checks, and for POST the Idempotency-Key record and the call
 * command), beside a bare Express handler measured in the same run on the same machine.
 *
 * BENCH_HTTP_SECONDS (default 5) per measurement, BENCH_HTTP_CONNECTIONS (default 10), BENCH_HTTP_TENANTS
 * (default 50). BENCH_HTTP_ONLY=many runs only the many-tenant POST line (for a `--cpu-prof` of it).
 * Then the cost of metrics and JSON logs (BENCH_HTTP_OBSERVABILITY=0 skips it, =only runs it alone).
 * Database: BENCH_DATABASE_URL / TEST_DATABASE_URL (in a throwaway schema), else in-memory PGlite.
 */
export default async function bench(): Promise<void> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
  const connections = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  if (process.env.BENCH_HTTP_OBSERVABILITY === 'only') return observabilityCost(url, seconds, connections);

  const bare = express();
  bare.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  const bareServer = await listen(bare);

  const { database, dispose } = await openScratchDatabase(url);
  const running = await startTestEngine({ ...database, close: dispose });
  const engineServer = await listen(running.engine.app);
  try {
    console.log(`http bench on ${database.kind}, ${connections} connections, ${seconds} s each`);
    const onlyMany = process.env.BENCH_HTTP_ONLY === 'many';
    const skipped = { rps: NaN, ok: NaN, cpuMs: NaN, p99: NaN, errors: 0, statuses: '', format: (value: number) => value.toFixed(0).padStart(7) };
    const baseline = onlyMany ? skipped : await rate({ url: `${base(bareServer)}/`, connections, duration: seconds });
    const auth = { Authorization: `Bearer ${running.apiKey}` };
    const list = onlyMany ? skipped : await rate({ url: `${base(engineServer)}/api/v1/calls?per_page=20`, headers: auth, connections, duration: seconds });
    let n = 0;
    // A fresh Idempotency-Key per request, so each is a new call with its record written; the keys
    // (tenants) take turns, so with many tenants the wallet holds spread over many wallet streams.
    const placeCalls = (keys: readonly string[]) =>
      rate({
        url: `${base(engineServer)}/api/v1/calls`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        connections,
        duration: seconds,
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              headers: {
                ...req.headers,
                Authorization: `Bearer ${keys[n % keys.length]}`,
                'Idempotency-Key': `bench-${process.pid}-${n++}`,
              },
              body: JSON.stringify({ phone_number: `+92300${String(1_000_000 + (n % 8_000_000)).padStart(7, '0')}` }),
            }),
          },
        ],
      });
    // Funded for the whole run, so a placement is refused only by what the engine decides, never
    // because the sandbox deposit ran out (each call holds its maximum price until it ends).
    await fund(running, running.accountId);
    const placeOne = onlyMany ? skipped : await placeCalls([running.apiKey]);
    const tenants = Number(process.env.BENCH_HTTP_TENANTS ?? 50);
    const keys = [running.apiKey, ...(await openTenants(running, loadConfig({ DEMO_ACCOUNT_COUNTRY: 'PK' }), tenants - 1))];
    const placeMany = await placeCalls(keys);
    console.log(`  bare Express GET (json):             ${list.format(baseline.rps)} req/s  (baseline)  p99 ${baseline.p99} ms  cpu ${baseline.cpuMs.toFixed(2)} ms/req`);
    console.log(`  GET /api/v1/calls (API key):         ${list.format(list.rps)} req/s  ratio ${(list.rps / baseline.rps).toFixed(3)}  p99 ${list.p99} ms  cpu ${list.cpuMs.toFixed(2)} ms/req  non-2xx ${list.errors}`);
    console.log(`  POST /api/v1/calls, 1 tenant:        ${list.format(placeOne.ok)} req/s  ratio ${(placeOne.ok / baseline.rps).toFixed(3)}  p99 ${placeOne.p99} ms  cpu ${placeOne.cpuMs.toFixed(2)} ms/req  non-2xx ${placeOne.errors} ${placeOne.statuses}`);
    console.log(`  POST /api/v1/calls, ${String(tenants).padEnd(3)} tenants:    ${list.format(placeMany.ok)} req/s  ratio ${(placeMany.ok / baseline.rps).toFixed(3)}  p99 ${placeMany.p99} ms  cpu ${placeMany.cpuMs.toFixed(2)} ms/req  non-2xx ${placeMany.errors} ${placeMany.statuses}`);
    console.log(`  (POST lines count 2xx answers only; the statuses in brackets are the others, by status)`);
  } finally {
    await new Promise((resolve) => engineServer.close(resolve));
    await new Promise((resolve) => bareServer.close(resolve));
    await running.close();
  }
  if (process.env.BENCH_HTTP_OBSERVABILITY !== '0') await observabilityCost(url, seconds, connections);
}

/**
 * POST /calls with metrics and JSON logging (to /dev/null, so the cost of formatting and writing
 * is counted, not a terminal's) against an engine with both off. Each variant gets a fresh
 * database and engine; the variants alternate, off-on-off-on, so drift on a shared machine falls
 * on both alike.
 */
async function observabilityCost(url: string | undefined, seconds: number, connections: number): Promise<void> {
  const results: Record<'off' | 'on', { post: number[]; get: number[] }> = { off: { post: [], get: [] }, on: { post: [], get: [] } };
  for (const variant of ['off', 'on', 'off', 'on'] as const) {
    const { database, dispose } = await openScratchDatabase(url);
    const logger = variant === 'on' ? consoleLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: false }) }) : undefined;
    const running = await startTestEngine({ ...database, close: dispose }, { env: { METRICS_ENABLED: variant === 'on' ? 'true' : 'false' }, ...(logger ? { logger } : {}) });
    const server = await listen(running.engine.app);
    try {
      // The list read is ~50× faster than a placement, so a per-request cost shows there first; it
      // runs first, before the placements leave calls being dialled in the background.
      const list = await rate({ url: `${base(server)}/api/v1/calls?per_page=20`, headers: { Authorization: `Bearer ${running.apiKey}` }, connections, duration: seconds });
      let n = 0;
      const place = await rate({
        url: `${base(server)}/api/v1/calls`,
        method: 'POST',
        headers: { Authorization: `Bearer ${running.apiKey}`, 'Content-Type': 'application/json' },
        connections,
        duration: seconds,
        requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ phone_number: `+92300${String(1_000_000 + (n++ % 8_000_000)).padStart(7, '0')}` }) }) }],
      });
      results[variant].post.push(place.rps);
      results[variant].get.push(list.rps);
      console.log(`  metrics+logs ${variant.padEnd(3)}: POST /api/v1/calls ${place.format(place.rps)} req/s, GET /api/v1/calls ${list.format(list.rps)} req/s  non-2xx ${place.errors + list.errors}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await running.close();
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  // The same cost measured directly, where a shared machine's noise cannot hide it: what the
  // instruments add to one request (route template, counter and histogram, one redacted JSON log line).
  const metrics = new EngineMetrics({ db: null as never, store: null as never, telephony: { gauges: () => ({ nodes: [], cpsQueues: [] }) } as never, clock: systemClock, projectionCheckpoints: new Set() });
  const http = metrics.http(async () => false);
  const templateOf = routeTemplateOf();
  const sink = pino.destination({ dest: '/dev/null', sync: false });
  await once(sink, 'ready');
  const logger = consoleLogger({ level: 'info', destination: sink });
  const iterations = 50_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const route = templateOf('POST', '/api/v1/calls');
    http.observeRequest('POST', route, 201, 0.05);
    logger.info('request', { requestId: 'b1450779-d710-46f9-9800-0a218b4783b3', correlationId: '6947e8a5-5cde-4778-8a4b-c8ab3971c23e', method: 'POST', path: '/api/v1/calls', status: 201, durationMs: 50 });
  }
  const perRequestUs = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  logger.flush();
  const serviceUs = 1e6 / mean(results.off.post);
  console.log(`  instruments per request: ${perRequestUs.toFixed(1)} µs; POST /calls takes ${(serviceUs / 1000).toFixed(1)} ms of throughput → expected ratio ≥ ${(serviceUs / (serviceUs + perRequestUs)).toFixed(4)}`);
  console.log(`  metrics+logs on / off, mean of 2 each: POST /calls ratio ${(mean(results.on.post) / mean(results.off.post)).toFixed(3)}, GET /calls ratio ${(mean(results.on.get) / mean(results.off.get)).toFixed(3)}`);
}

/** More funded tenants like the demo one (an account, the sandbox plan and deposit, a live key each). */
async function openTenants(running: Awaited<ReturnType<typeof startTestEngine>>, config: EngineConfig, count: number): Promise<string[]> {
  const { engine } = running;
  const operator = () => ({ actor: 'system:bench', correlationId: crypto.randomUUID(), causationId: 'http bench' });
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const opened = await engine.accounts.open(operator(), { name: `Bench tenant ${i}`, ...config.demoAccount });
    await engine.waitForProjections(opened.position);
    await engine.billing.setUpSandbox(opened.accountId, config.demoAccount.currency);
    const key = await engine.accounts.issueKey(operator(), opened.accountId, { name: 'bench', mode: 'live', scopes: [] });
    await engine.waitForProjections(key.position);
    await fund(running, opened.accountId);
    keys.push(key.secret);
  }
  return keys;
}

/** A deposit large enough that no placement of the run is refused for balance. */
async function fund(running: Awaited<ReturnType<typeof startTestEngine>>, accountId: string): Promise<void> {
  const operator = { actor: 'system:bench', correlationId: crypto.randomUUID(), causationId: 'http bench' };
  const wallet = await running.engine.billing.service.wallet(accountId);
  const deposit = await running.engine.billing.service.deposit(operator, accountId, { amountMinor: 1_000_000_000, currency: wallet.currency, reference: `bench-${crypto.randomUUID()}` });
  await running.engine.waitForProjections(deposit.position);
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const base = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function rate(options: autocannon.Options): Promise<{ rps: number; ok: number; cpuMs: number; p99: number; errors: number; statuses: string; format: (n: number) => string }> {
  const statuses = new Map<number, number>();
  const cpu = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, statusCode) => {
      if (statusCode >= 300) statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
  const total = result.requests.total;
  const seconds = result.duration || Number(options.duration);
  const used = process.cpuUsage(cpu);
  return {
    // This process's CPU per request (the engine, its in-process simulator and autocannon), which
    // moves less with the machine's other load than the rate does. Work a line leaves behind (calls
    // still being dialled) falls on the next line.
    cpuMs: (used.user + used.system) / 1000 / Math.max(1, total),
    rps: total / seconds,
    ok: (result['2xx'] ?? total) / seconds,
    statuses: statuses.size === 0 ? '' : `[${[...statuses].map(([status, count]) => `${status}: ${count}`).join(', ')}]`,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    format: (value: number) => value.toFixed(0).padStart(7),
  };
}
