import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser } from './support/browser.ts';
import { startConsoleEngine, type ConsoleEngine } from './support/console-engine.ts';
import { NARROW, overflowing } from './support/page-fit.ts';
import { openSignedIn } from './support/signed-in-page.ts';

/**
 * The contacts and contact-list pages in a real browser: what is made through a form shows in the
 * list, a CSV import answers its row report, and the API's validation message lands next to its field.
 */
const skip = browserSkipReason();


describe.skipIf(skip !== null)('contact pages in Chromium', () => {
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

  it('creates, edits and deletes a contact through the page, and imports a CSV with its row report', async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Contacts');
    await page.getByText('No contacts yet.').waitFor();
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('form', { name: 'Create contact' });
    await form.getByLabel('Name').fill('Amina Khan');
    await form.getByLabel('Phone').fill('+923001234567');
    await form.getByLabel('Tags').fill('vip, lahore');
    await form.getByRole('button', { name: 'Create contact' }).click();
    const row = page.getByTestId('contact-row').filter({ hasText: 'Amina Khan' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('+923001234567');
    await expect(row.textContent()).resolves.toContain('vip');

    await row.getByRole('button', { name: 'Edit Amina Khan' }).click();
    const edit = page.getByRole('form', { name: 'Save contact' });
    await edit.getByLabel('Company').fill('Khan Textiles');
    await edit.getByRole('button', { name: 'Save contact' }).click();
    await page.getByTestId('contact-row').filter({ hasText: 'Khan Textiles' }).waitFor();

    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from('phone_number,name\n+923001234568,Bilal\nnot-a-phone,Nobody\n') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    await expect(report.textContent()).resolves.toMatch(/Imported 1 row.*1 rejected/);
    await expect(page.getByTestId('rejected-row').textContent()).resolves.toContain('not-a-phone');
    await page.getByTestId('contact-row').filter({ hasText: 'Bilal' }).waitFor();

    await page.getByLabel('Tag').fill('vip');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/tag=vip/);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);

    const amina = page.getByTestId('contact-row').filter({ hasText: 'Amina Khan' });
    await amina.getByRole('button', { name: 'Delete' }).click();
    await amina.getByRole('button', { name: 'Delete Amina Khan' }).click();
    await page.getByText('No contact matches.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the API's validation message next to the contact's field", async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Contacts');
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('form', { name: 'Create contact' });
    await form.getByLabel('Name').fill('Bad Email');
    await form.getByLabel('Phone').fill('+923001239999');
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByRole('button', { name: 'Create contact' }).click();
    const error = page.locator('#new-contact-email-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/email/i);
    await expect(form.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('creates a list, adds a contact to it, imports a CSV into it, and removes a member', async () => {
    const created = await fetch(`${engine.baseUrl}/api/v1/contacts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${engine.tenantKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Chaudhry Listed', phone: '+923001230001' }),
    });
    expect(created.status).toBe(201);

    const { page, context, problems } = await openSignedIn(browser, engine, 'Contact lists');
    await page.getByText('No contact lists yet.').waitFor();
    await page.getByLabel('Name').fill('Lahore customers');
    await page.getByRole('button', { name: 'Create list' }).click();
    const row = page.getByTestId('list-row').filter({ hasText: 'Lahore customers' });
    await row.waitFor();
    await row.getByRole('link', { name: 'Lahore customers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lahore customers' }).waitFor();
    await page.getByText('This list is empty.').waitFor();

    await page.getByLabel('Find a contact by name or phone').fill('Chaudhry');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: 'Add Chaudhry Listed to the list' }).click();
    await page.getByTestId('member-row').filter({ hasText: 'Chaudhry Listed' }).waitFor();

    await page.getByLabel('CSV file').setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from('phone_number,name\n+923001230002,Dania\n') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-report').waitFor();
    await page.getByTestId('member-row').filter({ hasText: 'Dania' }).waitFor();
    await page.getByRole('heading', { name: 'Members (2)' }).waitFor();

    const member = page.getByTestId('member-row').filter({ hasText: 'Dania' });
    await member.getByRole('button', { name: 'Remove' }).click();
    await member.getByRole('button', { name: 'Remove Dania from the list' }).click();
    await page.getByRole('heading', { name: 'Members (1)' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the API's validation message next to the list's name", async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Contact lists');
    await page.getByRole('button', { name: 'Create list' }).click();
    const error = page.locator('#list-name-error');
    await error.waitFor();
    await expect(page.getByLabel('Name').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a 380 px screen: the contacts page with its forms open, and the lists page', async () => {
    const { page, context, problems } = await openSignedIn(browser, engine, 'Contacts', NARROW);
    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file').waitFor();
    await expect(overflowing(page)).resolves.toEqual([]);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contact lists' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contact lists' }).waitFor();
    await expect(overflowing(page)).resolves.toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
