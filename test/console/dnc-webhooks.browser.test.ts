import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser } from './support/browser.ts';
import { startConsoleEngine, type ConsoleEngine } from './support/console-engine.ts';
import { NARROW, overflowing } from './support/page-fit.ts';
import { openSignedIn } from './support/signed-in-page.ts';
import { tenantApi } from './support/tenant-api.ts';

/**
 * The do-not-call and webhook pages in a real browser. The webhook endpoint points at a receiver
 * on this machine (the engine is told private addresses are allowed), so a real delivery shows up
 * in the endpoint's delivery log, and its redelivery too.
 */
const skip = browserSkipReason();

describe.skipIf(skip !== null)('do-not-call and webhook pages in Chromium', () => {
  let engine: ConsoleEngine;
  let browser: Browser;
  let receiver: Server;
  let receiverUrl: string;
  const received: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    engine = await startConsoleEngine({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '50' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('adds a number to the do-not-call list through the page, lists it, checks it, and removes it', async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Do not call');
    await page.getByText('No number is on your do-not-call list.').waitFor();
    await page.getByLabel('Phone').fill('+923001237777');
    await page.getByLabel('Reason (optional)').fill('asked on the phone');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    const row = page.getByTestId('dnc-row').filter({ hasText: '+923001237777' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('asked on the phone');

    await page.getByLabel('Number to check').fill('+923001237777');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect(page.getByTestId('dnc-check-result').textContent()).resolves.toMatch(/is listed/);

    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'dnc.csv', mimeType: 'text/csv', buffer: Buffer.from('phone_number\n+923001238888\nnope\n') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-report').textContent()).resolves.toMatch(/Imported 1 row.*1 rejected/);
    await page.getByTestId('dnc-row').filter({ hasText: '+923001238888' }).waitFor();

    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Remove +923001237777' }).click();
    await expect.poll(() => page.getByTestId('dnc-row').filter({ hasText: '+923001237777' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the API's refusal of a malformed number next to the phone field", async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Do not call');
    await page.getByLabel('Phone').fill('not a number');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    const error = page.locator('#dnc-phone-error');
    await error.waitFor();
    await expect(page.getByLabel('Phone').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('creates an endpoint (its secret shown once), shows its delivery log, redelivers, and disables it', async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Webhooks');
    await page.getByText('No webhook endpoints yet.').waitFor();
    await page.getByRole('button', { name: 'New endpoint' }).click();
    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByLabel('dnc.added').check();
    await page.getByLabel('Description (optional)').fill('CRM sync');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    await expect(secret.textContent()).resolves.toMatch(/whsec_\w+/);
    await expect(secret.textContent()).resolves.toContain('shown only once');
    const row = page.getByTestId('webhook-row').filter({ hasText: receiverUrl });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('dnc.added');

    // Something the endpoint subscribes to happens: a number is added to the list.
    const added = await tenantApi(engine.baseUrl, engine.tenantKey, '/compliance/dnc', { method: 'POST', body: { phone: '+923001236666' } });
    expect(added.status).toBe(201);

    await row.getByRole('link', { name: receiverUrl }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor();
    const delivered = page.getByTestId('delivery-row').filter({ hasText: 'dnc.added' }).filter({ hasText: '200' });
    // The delivery log is read on demand: ask again until the engine has recorded the delivery.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return delivered.count();
      }, { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect(page.getByTestId('delivery-row').first().textContent()).resolves.toMatch(/\d+ ms/);

    await delivered.first().getByRole('button', { name: 'Redeliver dnc.added' }).click();
    await page.getByText('Redelivery of dnc.added queued.').waitFor();
    await expect.poll(() => page.getByTestId('delivery-row').count()).toBe(2);
    await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    await page.getByText('disabled', { exact: true }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the API's refusals next to the webhook's URL and events", async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Webhooks');
    await page.getByRole('button', { name: 'New endpoint' }).click();
    await page.getByLabel('URL').fill('ftp://example.test/hooks');
    await page.getByLabel('dnc.added').check();
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const urlError = page.locator('#new-webhook-url-error');
    await urlError.waitFor();
    await expect(urlError.textContent()).resolves.toContain('Only http and https URLs');

    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByLabel('dnc.added').uncheck();
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.locator('#new-webhook-events-error').waitFor();
    await expect(page.getByTestId('webhook-secret').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a 380 px screen: the do-not-call page with its import open, and the new endpoint form', async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Do not call', NARROW);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file').waitFor();
    await expect(overflowing(page)).resolves.toEqual([]);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'New endpoint' }).click();
    await page.getByLabel('URL').waitFor();
    await expect(overflowing(page)).resolves.toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
