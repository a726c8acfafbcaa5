/**
 * The web console: its JavaScript bundle size (gzip) and the time to first render of the calls
 * page with 10,000 calls in the read model, in headless Chromium (playwright-core + Debian's
 * chromium). Targets (issue 17): under 200 KB gzip, under 1 s.
 *
 * "First render" is the page's own performance mark `calls-first-rows` (console/src/pages/calls.tsx),
 * set when the table first holds rows; its startTime counts from the navigation's start. Each run
 * is a fresh browser context (empty cache, the API key preset as a remembered credential), so it
 * covers HTML, bundle, the session check, GET /api/v1/calls and the render.
 *
 * Seeding: the 10,000 calls are written into the `calls` table with the projection's own column
 * mapping (callRowToColumns), in batches — the list page reads only that table, and appending and
 * projecting 60,000 events would cost minutes without changing what the page reads. They are not
 * in the event log, so their detail pages would not open; the bench never opens one.
 * Baseline, same run, same engine: a second tenant with one page (25) of calls — the same render,
 * without 10,000 rows behind the query.
 *
 * Env: BENCH_CONSOLE_CALLS (10000), BENCH_CONSOLE_RUNS (5), CHROMIUM_PATH (/usr/bin/chromium).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { openDatabase } from '../src/adapters/db/database.ts';
import { ensureDemoAccess } from '../src/app/bootstrap.ts';
import { loadConfig } from '../src/app/config.ts';
import { Engine } from '../src/app/engine.ts';
import { sandboxTelephony } from '../src/app/telephony.ts';
import { systemClock } from '../src/domain/shared/clock.ts';
import { callRowToColumns } from '../src/projections/calls/rows.ts';
import type { CallRow } from '../src/projections/calls/types.ts';
import { callRowFixture } from '../test/support/call-row.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSETS = `${ROOT}console/dist/assets`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CREDENTIALS_KEY = 'calltrail.console.credentials';
const BATCH = 500;

function bundleSizes(): { files: number; rawBytes: number; gzipBytes: number; cssGzipBytes: number } {
  const names = readdirSync(ASSETS);
  let rawBytes = 0;
  let gzipBytes = 0;
  let cssGzipBytes = 0;
  for (const name of names) {
    const bytes = readFileSync(`${ASSETS}/${name}`);
    if (name.endsWith('.js')) {
      rawBytes += bytes.length;
      gzipBytes += gzipSync(bytes, { level: 9 }).length;
    } else if (name.endsWith('.css')) cssGzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: names.filter((name) => name.endsWith('.js')).length, rawBytes, gzipBytes, cssGzipBytes };
}

/** An ended call, one minute older than the one before; a mix of outcomes as a real list would have. */
function callRow(tenantId: string, index: number, base: number, idBlock = '8000'): CallRow {
  const at = new Date(base - index * 60_000).toISOString();
  const answered = index % 5 < 3;
  return callRowFixture({
    callId: `00000000-0000-4000-${idBlock}-${String(index).padStart(12, '0')}`,
    tenantId,
    requestedAt: at,
    status: answered ? 'COMPLETED' : index % 5 === 3 ? 'BUSY' : 'NO_ANSWER',
    to: `+1415555${String(index % 10_000).padStart(4, '0')}`,
    campaignId: index % 3 === 0 ? 'bench-campaign' : null,
    dialingAt: at,
    ringingAt: at,
    answeredAt: answered ? at : null,
    endedAt: at,
    billableMs: answered ? 30_000 : 0,
    cause: answered ? 16 : 17,
    retryable: !answered,
    lastRevision: 5,
  });
}

async function firstRowsMs(browser: Browser, url: string, key: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await context.addInitScript(([storageKey, secret]) => {
      (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(storageKey!, JSON.stringify({ kind: 'api_key', key: secret }));
    }, [CREDENTIALS_KEY, key]);
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('tr[data-call-id]').first().waitFor({ timeout: 30_000 });
    const mark = (await page.evaluate("performance.getEntriesByName('calls-first-rows').map((entry) => entry.startTime)")) as number[];
    if (mark.length !== 1) throw new Error(`expected one calls-first-rows mark, got ${mark.length}`);
    return mark[0]!;
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function bench(): Promise<void> {
  const total = Number(process.env.BENCH_CONSOLE_CALLS ?? 10_000);
  const runs = Number(process.env.BENCH_CONSOLE_RUNS ?? 5);
  if (!existsSync(CHROMIUM)) {
    console.log(`console bench skipped: no Chromium at ${CHROMIUM}`);
    return;
  }
  execFileSync(process.execPath, [`${ROOT}scripts/build-console.mjs`], { stdio: 'ignore' });
  const sizes = bundleSizes();
  console.log(`bundle: ${sizes.files} JS file(s), ${(sizes.rawBytes / 1024).toFixed(1)} KB raw, ${(sizes.gzipBytes / 1024).toFixed(1)} KB gzip (target < 200 KB); CSS ${(sizes.cssGzipBytes / 1024).toFixed(1)} KB gzip`);

  const database = await openDatabase({});
  const config = loadConfig({ DEMO_ACCOUNT_COUNTRY: 'US' });
  const engine = await Engine.create({ config, clock: systemClock, database, telephony: sandboxTelephony({}) });
  await engine.start();
  const server = createServer((req, res) => engine.app(req, res));
  try {
    const { accountId, apiKey } = await ensureDemoAccess(engine, config);
    const operator = { actor: 'system:bench', correlationId: 'bench', causationId: 'bench' };
    const other = await engine.accounts.open(operator, { name: 'Baseline tenant', defaultCountry: 'US', currency: 'USD', timeZone: 'UTC' });
    const otherKey = await engine.accounts.issueKey(operator, other.accountId, { name: 'bench', mode: 'live', scopes: [] });
    await engine.waitForProjections(otherKey.position);

    const seedStarted = performance.now();
    const base = Date.now();
    for (let start = 0; start < total; start += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, total - start) }, (_, offset) => callRowToColumns(callRow(accountId, start + offset, base)));
      await database.db.insertInto('calls').values(rows).execute();
    }
    const baseline = Array.from({ length: 25 }, (_, index) => callRowToColumns(callRow(other.accountId, index, base, '9000')));
    await database.db.insertInto('calls').values(baseline).execute();
    console.log(`seeded ${total} calls (+25 for the baseline tenant) into the read model in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; store: PGlite`);

    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console/calls`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'] });
    try {
      // One unmeasured load of each warms the engine's statement cache and Chromium's process pool.
      await firstRowsMs(browser, url, apiKey);
      await firstRowsMs(browser, url, otherKey.secret);
      const big: number[] = [];
      const small: number[] = [];
      for (let run = 0; run < runs; run++) {
        big.push(await firstRowsMs(browser, url, apiKey));
        small.push(await firstRowsMs(browser, url, otherKey.secret));
      }
      const fmt = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
      console.log(`first rows of the calls page, ${total} calls in the read model: median ${median(big).toFixed(0)} ms (runs: ${fmt(big)}) (target < 1000 ms)`);
      console.log(`baseline, a tenant with 25 calls:                  median ${median(small).toFixed(0)} ms (runs: ${fmt(small)})`);
      console.log(`ratio: ${(median(big) / median(small)).toFixed(2)}× the baseline; load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
    } finally {
      await browser.close();
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await engine.stop();
    await database.close();
  }
}
