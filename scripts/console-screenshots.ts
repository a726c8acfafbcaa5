/**
 * Takes the console screenshots under docs/console/ from a real engine (PGlite + ARI simulator)
 * with a little traffic: `npx tsx scripts/console-screenshots.ts`. Needs Chromium
 * (/usr/bin/chromium or CHROMIUM_PATH) and the built console. A developer tool, not part of the
 * engine: it borrows the browser tests' engine and browser helpers.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { wav } from '../test/support/audio-fixtures.ts';
import { browserSkipReason, launchBrowser, openPage } from '../test/console/support/browser.ts';
import { startConsoleEngine } from '../test/console/support/console-engine.ts';

const OUT = fileURLToPath(new URL('../docs/console/', import.meta.url));
const TERMINAL = new Set(['COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST']);

const reason = browserSkipReason();
if (reason) {
  console.error(reason);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const engine = await startConsoleEngine();
const app = engine.running.engine.app;
const tenant = { Authorization: `Bearer ${engine.tenantKey}` };
const operator = { Authorization: `Bearer ${engine.operatorKey}` };

async function until<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  for (let tries = 0; tries < 600; tries += 1) {
    const found = await probe();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen`);
}

try {
  const audio = await request(app).post('/api/v1/audio').set(tenant).field('name', 'Spring promotion').attach('file', wav({ seconds: 4 }), 'spring.wav');
  if (audio.status !== 201) throw new Error(`audio upload: ${audio.status} ${JSON.stringify(audio.body)}`);
  const audioId = audio.body.id as string;
  await until('audio ready', async () => ((await request(app).get(`/api/v1/audio/${audioId}`).set(tenant)).body.status === 'ready' ? true : null));

  // Answered, busy, unallocated and unanswered numbers (the simulator's documented suffixes).
  const phones = ['+923001234501', '+923001234502', '+923001230486', '+923001230404', '+923001234503'];
  const callIds: string[] = [];
  for (const phone of phones) {
    const placed = await request(app).post('/api/v1/calls').set(tenant).send({ phone_number: phone, audio_id: audioId });
    if (placed.status !== 201) throw new Error(`place ${phone}: ${placed.status} ${JSON.stringify(placed.body)}`);
    callIds.push(placed.body.id);
  }
  for (const id of callIds) {
    await until(`call ${id} charged`, async () => {
      const body = (await request(app).get(`/api/v1/calls/${id}`).set(tenant)).body;
      return TERMINAL.has(body.status) && (body.status !== 'COMPLETED' || body.charge) ? body : null;
    });
  }

  const csv = ['phone_number,name', ...Array.from({ length: 12 }, (_, i) => `+9230012346${String(i).padStart(2, '0')},Contact ${i + 1}`), '+923001230486,Busy line'].join('\n');
  const campaign = await request(app).post('/api/v1/campaigns').set(tenant).field('name', 'December renewals').field('audio_id', audioId).field('max_retries', '0').field('concurrent_limit', '4').attach('csv_file', Buffer.from(`${csv}\n`), 'renewals.csv');
  if (campaign.status !== 201) throw new Error(`campaign: ${campaign.status} ${JSON.stringify(campaign.body)}`);
  const campaignId = campaign.body.id as string;
  await until('campaign completed', async () => ((await request(app).get(`/api/v1/campaigns/${campaignId}`).set(tenant)).body.status === 'completed' ? true : null));

  const opened = await request(app).post('/api/v1/accounts').set(operator).send({ name: 'Karachi Telecom Retail', default_country: 'PK', currency: 'PKR', time_zone: 'Asia/Karachi' });
  if (opened.status !== 201) throw new Error(`open tenant: ${opened.status} ${JSON.stringify(opened.body)}`);
  const paid = await request(app).post('/api/v1/credits/purchase').set(operator).send({ account_id: opened.body.account?.id ?? opened.body.id, amount_minor: 250_000, reference: 'wire-2026-12-03' });
  if (paid.status !== 201) throw new Error(`payment: ${paid.status} ${JSON.stringify(paid.body)}`);

  const browser = await launchBrowser();
  const shoot = async (key: string, kind: 'API key' | 'Operator key', pages: Array<[string, string, string]>, viewport = { width: 1280, height: 860 }) => {
    const { page, context } = await openPage(browser, { viewport });
    await page.goto(`${engine.baseUrl}/console/`);
    await page.getByRole('tab', { name: kind }).click();
    await page.getByLabel(kind, { exact: true }).fill(key);
    // Remembered, so each page can be opened by its address.
    await page.getByLabel(/Remember on this device/).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    for (const [name, path, ready] of pages) {
      await page.goto(`${engine.baseUrl}/console${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      if (ready) await page.getByText(ready, { exact: false }).first().waitFor();
      await page.screenshot({ path: `${OUT}${name}.png`, fullPage: false });
      console.log(`docs/console/${name}.png`);
    }
    await context.close();
  };
  const answered = callIds[0]!;
  await shoot(engine.tenantKey, 'API key', [
    ['calls', '/calls', '+923001234501'],
    ['call-detail', `/calls/${answered}`, 'COMPLETED'],
    ['place-call', '/calls/new', ''],
    ['audio', '/audio', 'Spring promotion'],
    ['campaigns', '/campaigns', 'December renewals'],
    ['campaign-detail', `/campaigns/${campaignId}`, '100 %'],
    ['contacts', '/contacts', ''],
    ['billing', '/billing', ''],
    ['api-keys', '/api-keys', ''],
    ['webhooks', '/webhooks', ''],
  ]);
  await shoot(engine.tenantKey, 'API key', [['calls-narrow', '/calls', '+923001234501']], { width: 390, height: 800 });
  await shoot(engine.operatorKey, 'Operator key', [
    ['operator-tenants', '/operator/tenants', 'Karachi Telecom Retail'],
    ['operator-rate-plans', '/operator/rate-plans', ''],
    ['operator-health', '/operator/health', ''],
    ['operator-audit', '/operator/audit', ''],
  ]);
  await browser.close();
} finally {
  await engine.close();
}
