import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import autocannon from 'autocannon';
import express from 'express';
import { openScratchDatabase } from './support/scratch-database.ts';
import { startTestEngine } from '../test/e2e/support/engine.ts';

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
    const place = await rate({
      url: `${base(engineServer)}/api/v1/calls`,
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      connections,
      duration: seconds,
      // A fresh Idempotency-Key per request, so each is a new call with its record written.
      requests: [
        {
          setupRequest: (req) => ({
            ...req,
            headers: { ...req.headers, 'Idempotency-Key': `bench-${process.pid}-${n++}` },
            body: JSON.stringify({ phone_number: `+92300${String(1_000_000 + (n % 8_000_000)).padStart(7, '0')}` }),
          }),
        },
      ],
    });
    console.log(`  bare Express GET (json):             ${list.format(baseline.rps)} req/s  (baseline)`);
    console.log(`  GET /api/v1/calls (API key):         ${list.format(list.rps)} req/s  ratio ${(list.rps / baseline.rps).toFixed(3)}  non-2xx ${list.errors}`);
    console.log(`  POST /api/v1/calls (+Idempotency):   ${list.format(place.rps)} req/s  ratio ${(place.rps / baseline.rps).toFixed(3)}  non-2xx ${place.errors}`);
  } finally {
    await new Promise((resolve) => engineServer.close(resolve));
    await new Promise((resolve) => bareServer.close(resolve));
    await running.close();
  }
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const base = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function rate(options: autocannon.Options): Promise<{ rps: number; errors: number; format: (n: number) => string }> {
  const result = await autocannon(options);
  const total = result.requests.total;
  return {
    rps: total / (result.duration || Number(options.duration)),
    errors: result.non2xx + result.errors,
    format: (value: number) => value.toFixed(0).padStart(7),
  };
}
