import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser, openPage } from './support/browser.ts';
import { startConsoleEngine, type ConsoleEngine } from './support/console-engine.ts';
import { signInWithKey, signInWithPassword } from './support/sign-in.ts';

/**
 * The console's frame in a real browser, served by a real engine: where it is served and under
 * which CSP, signing in each way, what a tenant and the operator each see, and the narrow layout.
 */
const skip = browserSkipReason();

describe.skipIf(skip !== null)('the console shell in Chromium', () => {
  let engine: ConsoleEngine;
  let browser: Browser;

  beforeAll(async () => {
    engine = await startConsoleEngine();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('is served at / and /console/… under a CSP that allows no inline script, and its HTML has none', async () => {
    for (const path of ['/', '/console', '/console/calls/some-call']) {
      const response = await fetch(`${engine.baseUrl}${path}`);
      expect(response.status, path).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await response.text();
      expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js"><\/script>/);
      expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [], 'inline scripts').toEqual([]);
    }
    const missingAsset = await fetch(`${engine.baseUrl}/console/assets/nope.js`);
    expect(missingAsset.status).toBe(404);
  });

  it('signs a tenant user in with email and password, shows only tenant pages, refuses operator pages, and signs out', async () => {
    const { page, context, problems } = await openPage(browser);
    await signInWithPassword(page, engine.baseUrl, engine.user.email, engine.user.password);
    await page.waitForURL(/\/console\/calls$/);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain(engine.user.email);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Calls' }).isVisible()).resolves.toBe(true);
    await expect(nav.getByRole('link', { name: 'Tenants' }).count()).resolves.toBe(0);

    // Moving in the app (a reload would drop the in-memory session) to an operator page's address.
    await page.evaluate("window.history.pushState(null, '', '/console/operator/tenants'); window.dispatchEvent(new Event('calltrail:navigated'))");
    await page.getByText('This page is for the operator').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to calltrail' }).waitFor();
    expect(await page.evaluate('window.localStorage.length'), 'nothing kept without "remember"').toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the API message for a wrong password, next to nothing kept', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${engine.baseUrl}/console/`);
    await page.getByLabel('Email').fill(engine.user.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Invalid email or password');
    await expect(page.getByTestId('signed-in-as').count()).resolves.toBe(0);
    await context.close();
  });

  it('keeps a key across reloads only when "remember" is ticked', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${engine.baseUrl}/console/`);
    await page.getByRole('tab', { name: 'API key' }).click();
    await page.getByLabel('API key', { exact: true }).fill(engine.tenantKey);
    await page.getByLabel(/Remember on this device/).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate('window.localStorage.length')).toBe(0);
    await context.close();
  });

  it('lets the operator in with the operator key and refuses a tenant key pasted there', async () => {
    const { page, context, problems } = await openPage(browser);
    await page.goto(`${engine.baseUrl}/console/`);
    await page.getByRole('tab', { name: 'Operator key' }).click();
    await page.getByLabel('Operator key', { exact: true }).fill(engine.tenantKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('An operator API key is required');

    await signInWithKey(page, engine.baseUrl, 'Operator key', engine.operatorKey);
    await page.waitForURL(/\/console\/operator\/tenants$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Tenants' }).isVisible()).resolves.toBe(true);
    await expect(nav.getByRole('link', { name: 'Calls' }).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('folds the navigation behind a Menu button on a narrow screen', async () => {
    const { page, context } = await openPage(browser, { viewport: { width: 380, height: 800 } });
    await signInWithKey(page, engine.baseUrl, 'API key', engine.tenantKey);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(nav.isVisible()).resolves.toBe(true);
    await context.close();
  });
});
