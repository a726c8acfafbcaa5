import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.ts';
import type { AppDependencies } from '../../../src/http/dependencies.ts';

/**
 * /docs in headless Chromium: Swagger UI loads from this server alone, under its CSP, and renders
 * the operations of /api/v1/openapi.json. WRITE_DOCS=1 also writes docs/screenshots/docs.png.
 * Skipped, with the reason printed, when there is no chromium binary.
 */

const CHROMIUM = '/usr/bin/chromium';
const noChromium = !existsSync(CHROMIUM);
if (noChromium) console.log(`/docs browser test skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const unused = () => Promise.reject(new Error('not used by the docs page'));
const deps = {
  authenticate: async () => null,
  calls: { place: unused, hangup: unused, list: unused, get: unused },
  health: async () => ({ ok: true, components: {} }),
} as unknown as AppDependencies;

describe.skipIf(noChromium)('/docs in headless Chromium', () => {
  let server: ReturnType<ReturnType<typeof createApp>['listen']>;
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = createApp(deps).listen(0, '127.0.0.1', () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server?.close(() => resolve())));

  it('renders every tag of the document from local assets only, with no CSP violation', async () => {
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'docs-page-'));
    const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 1000 },
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`${base}/docs`);
      await page.locator('.opblock-tag').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.info .title').innerText()).toContain('calltrail');
      const tags = await page.locator('.opblock-tag').allInnerTexts();
      for (const tag of ['calls', 'campaigns', 'accounts', 'billing (operator)']) expect(tags.some((text) => text.startsWith(tag)), tag).toBe(true);
      expect(await page.locator('.opblock').count()).toBeGreaterThan(50);
      expect(requests.filter((url) => !url.startsWith(base) && !url.startsWith('data:'))).toEqual([]);
      expect(requests).toContain(`${base}/api/v1/openapi.json`);
      expect(problems, 'console errors (a CSP violation shows here)').toEqual([]);
      if (process.env.WRITE_DOCS === '1') {
        mkdirSync('docs/screenshots', { recursive: true });
        await page.screenshot({ path: 'docs/screenshots/docs.png', fullPage: false });
      }
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
