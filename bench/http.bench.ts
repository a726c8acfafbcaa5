import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import autocannon from 'autocannon';
import express from 'express';
import { openScratchDatabase } from './support/scratch-database.ts';
import { startTestEngine } from '../test/e2e/support/engine.ts';
import { loadConfig, type EngineConfig } from '../src/app/config.ts';

/**
 * Requests per second through the whole front door (authentication by API key, rate-limit
 * counters in the database, scope checks, and for POST the Idempotency-Key record and the call
 * command), beside a bare Express handler measured in the same run on the same machine.
 *
 * BENCH_HTTP_SECONDS (default 5) per measurement, BENCH_HTTP_CONNECTIONS (default 10).
 * Database: BENCH_DATABASE_URL / TEST_DATABASE_URL (in a throwaway schema), else in-memory PGlite.
 */
export default async function bench(): Promise<void> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
  const connections = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

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
    const baseline = await rate({ url: `${base(bareServer)}/`, connections, duration: seconds });
    const auth = { Authorization: `Bearer ${running.apiKey}` };
    const list = await rate({ url: `${base(engineServer)}/api/v1/calls?per_page=20`, headers: auth, connections, duration: seconds });
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
    const placeOne = await placeCalls([running.apiKey]);
    const tenants = Number(process.env.BENCH_HTTP_TENANTS ?? 50);
    const keys = [running.apiKey, ...(await openTenants(running, loadConfig({ DEMO_ACCOUNT_COUNTRY: 'PK' }), tenants - 1))];
    const placeMany = await placeCalls(keys);
    console.log(`  bare Express GET (json):             ${list.format(baseline.rps)} req/s  (baseline)  p99 ${baseline.p99} ms`);
    console.log(`  GET /api/v1/calls (API key):         ${list.format(list.rps)} req/s  ratio ${(list.rps / baseline.rps).toFixed(3)}  p99 ${list.p99} ms  non-2xx ${list.errors}`);
    console.log(`  POST /api/v1/calls, 1 tenant:        ${list.format(placeOne.rps)} req/s  ratio ${(placeOne.rps / baseline.rps).toFixed(3)}  p99 ${placeOne.p99} ms  non-2xx ${placeOne.errors}`);
    console.log(`  POST /api/v1/calls, ${String(tenants).padEnd(3)} tenants:    ${list.format(placeMany.rps)} req/s  ratio ${(placeMany.rps / baseline.rps).toFixed(3)}  p99 ${placeMany.p99} ms  non-2xx ${placeMany.errors}`);
  } finally {
    await new Promise((resolve) => engineServer.close(resolve));
    await new Promise((resolve) => bareServer.close(resolve));
    await running.close();
  }
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
    keys.push(key.secret);
  }
  return keys;
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const base = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function rate(options: autocannon.Options): Promise<{ rps: number; p99: number; errors: number; format: (n: number) => string }> {
  const result = await autocannon(options);
  const total = result.requests.total;
  return {
    rps: total / (result.duration || Number(options.duration)),
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    format: (value: number) => value.toFixed(0).padStart(7),
  };
}
