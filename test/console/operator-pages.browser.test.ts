import { describe, expect, it } from 'vitest';
import { browserSkipReason, openPage } from './support/browser.ts';
import { consoleSuite, openNav } from './support/suite.ts';
import { signInWithKey } from './support/sign-in.ts';

/**
 * The operator's pages in Chromium: a tenant created and paid for on the Tenants page sees the
 * payment on its own Balance page (journey 5); rate plans are created, shown with their versions
 * and revised on the page, with the API's validation errors next to the fields.
 */
const skip = browserSkipReason();

describe.skipIf(skip !== null)('operator pages in Chromium', () => {
  const suite = consoleSuite();

  it("journey 5: the operator creates a tenant and records a payment, and the tenant's balance page shows it", async () => {
    const { page, context, problems } = await openPage(suite.browser);
    await signInWithKey(page, suite.engine.baseUrl, 'Operator key', suite.engine.operatorKey);
    await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();

    await page.getByLabel('Name').fill('Journey Five Traders');
    await page.getByLabel('Default country').fill('PK');
    await page.getByLabel('Currency').fill('PKR');
    await page.getByLabel('Time zone').fill('Asia/Karachi');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const shown = page.getByTestId('shown-once-secret');
    await shown.waitFor();
    const ownerKey = (await shown.textContent())?.trim() ?? '';
    expect(ownerKey.length).toBeGreaterThan(20);

    const row = page.getByRole('row').filter({ hasText: 'Journey Five Traders' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Record a payment for Journey Five Traders' }).click();
    await page.getByLabel('Amount (PKR)').fill('1500.50');
    await page.getByLabel('Reference').fill('bank-transfer-0005');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await expect(page.getByTestId('tenants-notice').textContent()).resolves.toContain('Payment recorded for Journey Five Traders: the balance is now PKR 1,500.50');
    expect(await row.textContent()).toContain('PKR 1,500.50');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithKey(page, suite.engine.baseUrl, 'API key', ownerKey);
    await openNav(page, 'Balance and usage');
    await expect.poll(() => page.getByTestId('balance-amount').textContent()).toBe('PKR 1,500.50');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a payment form error next to its field', async () => {
    const { page, context, problems } = await openPage(suite.browser);
    await signInWithKey(page, suite.engine.baseUrl, 'Operator key', suite.engine.operatorKey);
    await page.getByRole('button', { name: /^Record a payment for / }).first().click();
    await page.getByLabel(/^Amount/).fill('15,00');
    await page.getByLabel('Reference').fill('typo');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await expect(page.locator('#payment-amount-error').textContent()).resolves.toContain('decimal string');
    await expect(page.getByLabel(/^Amount/).getAttribute('aria-invalid')).resolves.toBe('true');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('creates a rate plan on the page after showing its validation errors at the fields, shows its versions and adds one', async () => {
    const { page, context, problems } = await openPage(suite.browser);
    await signInWithKey(page, suite.engine.baseUrl, 'Operator key', suite.engine.operatorKey);
    await openNav(page, 'Rate plans');

    await page.getByLabel('Name', { exact: true }).fill('Karachi retail');
    await page.getByLabel('Currency').fill('pkr');
    await page.getByLabel('Prefix').fill('92');
    await page.getByLabel('Per minute (minor units)').fill('120');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await expect(page.locator('#plan-currency-error').textContent()).resolves.toContain('ISO 4217');
    await expect(page.locator('#new-rate-0-prefix-error').textContent()).resolves.toContain('"+"');
    await expect(page.getByLabel('Currency').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Currency').fill('PKR');
    await page.getByLabel('Prefix').fill('+92');
    await page.getByLabel('Plan id (optional)').fill('karachi-retail');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByText('Rate plan “Karachi retail” (karachi-retail) was created.').waitFor();
    await page.getByRole('row').filter({ hasText: 'karachi-retail' }).waitFor();
    const detail = page.getByRole('region', { name: /Karachi retail/ });
    await detail.getByRole('heading', { name: /^Version 1/ }).waitFor();
    expect(await detail.textContent()).toContain('PKR 1.20');

    await detail.getByRole('button', { name: 'Add a version' }).click();
    await detail.getByLabel('Per minute (minor units)').fill('150');
    await detail.getByRole('button', { name: 'Add version' }).click();
    await detail.getByRole('heading', { name: /^Version 2/ }).waitFor();
    expect(await detail.textContent()).toContain('PKR 1.50');
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'karachi-retail' }).textContent()).toMatch(/PKR\s*2/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows readiness and the engine health report, and runs verify and an account audit with their verdicts', async () => {
    const { page, context, problems } = await openPage(suite.browser);
    await signInWithKey(page, suite.engine.baseUrl, 'Operator key', suite.engine.operatorKey);
    await openNav(page, 'Health');
    const readiness = page.getByRole('region', { name: 'Readiness (/health/ready)' });
    await readiness.getByText('READY', { exact: true }).waitFor();
    await readiness.getByRole('row').filter({ hasText: 'event_store' }).waitFor();
    await page.getByText(/^Checked /).waitFor();
    await expect(page.getByRole('alert').count(), 'no error on the health page').resolves.toBe(0);
    // Projection lag: a row per projection and reactor, with its lag behind the log's head.
    const projections = page.getByRole('region', { name: 'Projections' });
    await projections.getByRole('columnheader', { name: 'Lag events' }).waitFor();
    expect(await projections.getByRole('row').count()).toBeGreaterThan(2);
    await page.getByRole('region', { name: 'Telephony' }).getByRole('row').nth(1).waitFor();

    await openNav(page, 'Verify and audit');
    await page.getByRole('button', { name: 'Run verify' }).click();
    await expect(page.getByRole('region', { name: 'Verify the event log' }).getByTestId('verdict').textContent()).resolves.toMatch(/^Every hash link holds: [1-9]\d* events/);
    await page.getByLabel('Account', { exact: true }).selectOption(suite.engine.running.accountId);
    await page.getByRole('button', { name: 'Run audit' }).click();
    await expect(page.getByRole('region', { name: 'Audit an account' }).getByTestId('verdict').textContent()).resolves.toMatch(/^No mismatch: \d+ calls recomputed/);
    expect(problems).toEqual([]);
    await context.close();
  });
});
