import { describe, expect, it } from 'vitest';
import { browserSkipReason, openPage } from './support/browser.ts';
import { operatorRouteServed } from './support/operator-routes.ts';
import { consoleSuite, openNav } from './support/suite.ts';
import { signInWithKey, signInWithPassword } from './support/sign-in.ts';

/**
 * A tenant's account pages in Chromium: an API key created on the page works until it is revoked
 * on the page (journey 3); users are added and changed with the API's validation shown at the
 * field; and a tenant never reaches the operator's pages or routes, even from its own page.
 */
const skip = browserSkipReason();

describe.skipIf(skip !== null)('account pages in Chromium', () => {
  const suite = consoleSuite();

  const statusWith = async (key: string): Promise<number> => (await fetch(`${suite.engine.baseUrl}/api/v1/accounts`, { headers: { Authorization: `Bearer ${key}` } })).status;

  it('journey 3: creates an API key whose secret is shown once, which works until it is revoked on the page, then answers 401', async () => {
    const { page, context, problems } = await openPage(suite.browser);
    await signInWithPassword(page, suite.engine.baseUrl, suite.engine.user.email, suite.engine.user.password);
    await openNav(page, 'API keys');

    await page.getByLabel('Name').fill('journey three');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('shown-once-secret');
    await shown.waitFor();
    const secret = (await shown.textContent())?.trim() ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await expect(page.getByText('It is shown only this once').count()).resolves.toBe(1);
    expect(await statusWith(secret), 'the new key works').toBe(200);

    const row = page.getByRole('row').filter({ hasText: 'journey three' });
    await row.waitFor();
    expect(await row.textContent(), 'the list shows a prefix, never the secret').not.toContain(secret);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    expect(await statusWith(secret), 'the revoked key is refused').toBe(401);

    // Gone once the user leaves the page: nothing kept it.
    await openNav(page, 'Users');
    await openNav(page, 'API keys');
    await page.getByRole('row').filter({ hasText: 'journey three' }).waitFor();
    await expect(page.getByTestId('shown-once-secret').count()).resolves.toBe(0);
    expect(await page.content()).not.toContain(secret);
    // A string expression: the test's own TypeScript has no DOM types.
    expect(await page.evaluate<string>('JSON.stringify(Object.entries(localStorage))')).not.toContain(secret);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('adds a user, showing the validation error next to its field first, and changes its role', async () => {
    const { page, context, problems } = await openPage(suite.browser);
    await signInWithPassword(page, suite.engine.baseUrl, suite.engine.user.email, suite.engine.user.password);
    await openNav(page, 'Users');

    await page.getByLabel('Email').fill('x');
    await page.getByLabel('Password').fill('a password');
    await page.getByRole('button', { name: 'Add user' }).click();
    const emailError = page.locator('#user-email-error');
    await emailError.waitFor();
    expect((await emailError.textContent())?.length).toBeGreaterThan(0);
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#user-password-error').count(), 'only the bad field is marked').resolves.toBe(0);

    await page.getByLabel('Email').fill('agent@example.test');
    await page.getByLabel('Name').fill('Agent Smith');
    await page.getByRole('button', { name: 'Add user' }).click();
    const row = page.getByRole('row').filter({ hasText: 'agent@example.test' });
    await row.waitFor();
    expect(await row.textContent()).toContain('developer');
    await expect(page.locator('#user-email-error').count()).resolves.toBe(0);

    await row.getByRole('button', { name: 'Change agent@example.test' }).click();
    await page.getByLabel('Role').selectOption('admin');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('agent@example.test was changed.').waitFor();
    await expect.poll(() => row.textContent()).toContain('admin');

    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Yes, remove' }).click();
    await page.getByText('agent@example.test was removed.').waitFor();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'agent@example.test' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('billing: the balance follows payments and charges live, and a charged call shows in the chart by day and the charges table', async () => {
    const { page, context, problems } = await openPage(suite.browser);
    await signInWithKey(page, suite.engine.baseUrl, 'API key', suite.engine.tenantKey);
    await openNav(page, 'Balance and usage');
    const balance = page.getByTestId('balance-amount');
    await balance.waitFor();
    const before = (await balance.textContent()) ?? '';
    await page.getByTestId('usage-chart').waitFor();

    // A payment recorded elsewhere (the operator's API) reaches the open page through the event stream.
    const paid = await fetch(`${suite.engine.baseUrl}/api/v1/credits/purchase`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${suite.engine.operatorKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ account_id: suite.engine.running.accountId, amount_minor: 12_345, reference: 'live-billing-test' }),
    });
    expect(paid.status).toBe(201);
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).not.toBe(before);
    const paidText = await balance.textContent();

    // An answered call that the callee ends after 3 (simulated) seconds is charged.
    const placed = await fetch(`${suite.engine.baseUrl}/api/v1/calls`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${suite.engine.tenantKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone_number: '+923001230103' }),
    });
    expect(placed.status).toBe(201);
    const callId = ((await placed.json()) as { id: string }).id;
    const chargeRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Call ${callId}` }) });
    await chargeRow.waitFor({ timeout: 20_000 });
    expect(await chargeRow.textContent()).toContain('+923001230103');
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).not.toBe(paidText);
    const today = new Date().toISOString().slice(0, 10);
    await expect.poll(() => page.locator('#usage-by-day').getByRole('row').filter({ hasText: today }).textContent()).toMatch(new RegExp(`^${today}[1-9]`));
    expect(await page.getByTestId('usage-chart').getAttribute('aria-label')).toContain('Charges per day');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('never shows a tenant the operator pages, and the operator routes refuse its key from its own page', async () => {
    const { page, context, problems } = await openPage(suite.browser);
    await signInWithKey(page, suite.engine.baseUrl, 'API key', suite.engine.tenantKey);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Balance and usage' }).waitFor();
    for (const name of ['Tenants', 'Rate plans', 'Health', 'Verify and audit']) {
      await expect(nav.getByRole('link', { name, exact: true }).count(), name).resolves.toBe(0);
    }

    const operatorRoutes: { path: string; method: string }[] = [
      { path: '/api/v1/rate-plans', method: 'GET' },
      { path: '/api/v1/accounts', method: 'POST' },
      { path: '/api/v1/credits/purchase', method: 'POST' },
      { path: '/api/v1/operator/health', method: 'GET' },
      { path: '/api/v1/operator/verify', method: 'POST' },
    ];
    const mounted: typeof operatorRoutes = [];
    for (const route of operatorRoutes) {
      if (await operatorRouteServed(suite.engine.baseUrl, suite.engine.operatorKey, route.method, route.path)) mounted.push(route);
    }
    // Each route answers the operator, so a refusal of the tenant below is a refusal, not a missing route.
    expect(mounted).toEqual(operatorRoutes);

    const statuses = await page.evaluate(
      async ({ routes, key }) => {
        const answers: Record<string, number> = {};
        for (const route of routes) {
          const response = await fetch(route.path, { method: route.method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: route.method === 'POST' ? '{}' : undefined });
          answers[`${route.method} ${route.path}`] = response.status;
        }
        return answers;
      },
      { routes: mounted, key: suite.engine.tenantKey },
    );
    for (const [route, status] of Object.entries(statuses)) expect([401, 403], `${route} answered ${status}`).toContain(status);

    await page.evaluate("history.pushState(null, '', '/console/operator/health'); dispatchEvent(new Event('calltrail:navigated'))");
    await page.getByText('This page is for the operator').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
