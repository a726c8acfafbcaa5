import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCall } from '../e2e/support/engine.ts';
import { hasFfmpeg, wav } from '../support/audio-fixtures.ts';
import { browserSkipReason, launchBrowser, openPage } from './support/browser.ts';
import { startConsoleEngine, type ConsoleEngine } from './support/console-engine.ts';
import { signInWithPassword } from './support/sign-in.ts';

/**
 * The calls pages in Chromium against a real engine and the ARI simulator (at 1/100 of real time):
 * journey 1 (upload audio, place a call, watch it reach COMPLETED live), journey 4 (a completed
 * call's audit and its dispute report), and the list's filters. "Live" is proven by a marker set
 * on `window` before the call is placed: a reload would have wiped it.
 */
const skip = browserSkipReason() ?? (hasFfmpeg() ? null : 'calls browser tests skipped: ffmpeg/ffprobe are not installed (the audio upload needs them)');
if (skip && !browserSkipReason()) console.log(skip);

// The simulator's rules (src/adapters/telephony/ari-simulator/rules.ts): "…02NN" answers after NN
// simulated seconds, "…0486" is busy, anything else answers at once; each answered call plays its audio and ends COMPLETED.
const RINGS_THEN_ANSWERS = '+14155550225';
const ANSWERS = '+14155550100';
const BUSY = '+14155550486';
const GERMAN = '+4930123456';
const TERMINAL = new Set(['COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST']);

describe.skipIf(skip !== null)('the calls pages in Chromium', () => {
  let engine: ConsoleEngine;
  let browser: Browser;
  let workDir: string;

  const placeByApi = async (phone: string): Promise<string> => {
    const placed = await request(engine.running.engine.app).post('/api/v1/calls').set('Authorization', `Bearer ${engine.tenantKey}`).send({ phone_number: phone });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    return placed.body.id as string;
  };
  const ended = (callId: string) => waitForCall(engine.running.engine, engine.tenantKey, callId, (call) => TERMINAL.has(call.status));
  const goTo = async (page: Page, link: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();

  beforeAll(async () => {
    engine = await startConsoleEngine();
    browser = await launchBrowser();
    workDir = mkdtempSync(join(tmpdir(), 'calltrail-console-calls-'));
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('journey 1: signs in, uploads audio, places a call from the form and watches it reach COMPLETED without a reload', async () => {
    const { page, context, problems } = await openPage(browser);
    await signInWithPassword(page, engine.baseUrl, engine.user.email, engine.user.password);
    await page.getByText('No calls yet — place one').waitFor();

    // 90 s of audio: at the simulator's 1/100 time the call stays up for about a second after the answer.
    await goTo(page, 'Audio library');
    const file = join(workDir, 'greeting.wav');
    writeFileSync(file, wav({ seconds: 90 }));
    await page.getByLabel('Name').fill('Greeting');
    await page.getByLabel('Audio file (WAV, MP3 or Ogg)').setInputFiles(file);
    await page.getByRole('status').filter({ hasText: 'Uploaded “Greeting” (ready)' }).waitFor();
    await page.getByTestId('audio-table').getByRole('cell', { name: 'Greeting', exact: true }).waitFor();

    await page.evaluate("window.__calltrailNoReload = 'still the same document'");
    await goTo(page, 'Place a call');
    // The API's validation message lands next to the field it is about.
    await page.getByRole('button', { name: 'Place the call' }).click();
    await page.locator('#call-phone-error').waitFor();
    await expect(page.locator('#call-phone-error').textContent()).resolves.toContain('phone_number');

    await page.getByLabel('Phone number').fill(RINGS_THEN_ANSWERS);
    await page.getByLabel('Audio to play').selectOption({ label: 'Greeting' });
    await page.getByRole('button', { name: 'Place the call' }).click();
    await page.waitForURL(/\/console\/calls\/[0-9a-f-]{36}$/);
    const callId = page.url().split('/').at(-1)!;

    const status = page.getByTestId('call-status');
    await status.waitFor();
    const firstSeen = (await status.textContent()) ?? '';
    expect(firstSeen, 'the call was still under way when its page opened').not.toContain('COMPLETED');
    await page.getByTestId('live-indicator').and(page.locator('[data-connected="true"]')).waitFor();
    await status.filter({ hasText: 'COMPLETED' }).waitFor({ timeout: 20_000 });
    await page.getByTestId('call-timeline').getByRole('cell', { name: 'CallCompleted', exact: true }).waitFor();
    expect(await page.evaluate('window.__calltrailNoReload'), 'the page never reloaded').toBe('still the same document');

    // The list shows the same call, linked to its page.
    await goTo(page, 'Calls');
    const row = page.locator(`tr[data-call-id="${callId}"]`);
    await expect(row.getByTestId('call-status').textContent()).resolves.toContain('COMPLETED');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('journey 4: opens a completed call, sees the audit verdict and downloads the dispute report that names the call', async () => {
    const callId = await placeByApi(ANSWERS);
    expect((await ended(callId)).status).toBe('COMPLETED');

    const { page, context, problems } = await openPage(browser);
    await signInWithPassword(page, engine.baseUrl, engine.user.email, engine.user.password);
    await page.locator(`tr[data-call-id="${callId}"]`).getByRole('link').click();
    await page.waitForURL(new RegExp(`/console/calls/${callId}$`));
    await expect(page.getByTestId('call-status').textContent()).resolves.toContain('COMPLETED');
    // The charge lands after the end; the page refreshes the audit when it does.
    await page.getByTestId('audit-verdict').filter({ hasText: 'MATCH' }).waitFor();
    await expect(page.getByTestId('charge-formula').textContent()).resolves.toMatch(/minor units/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download dispute report' }).click()]);
    expect(download.suggestedFilename()).toBe(`dispute-${callId}.html`);
    const saved = join(workDir, download.suggestedFilename());
    await download.saveAs(saved);
    const report = readFileSync(saved, 'utf8');
    expect(report).toContain(callId);
    expect(report).toMatch(/<html/i);
    await page.getByRole('status').filter({ hasText: `Saved dispute-${callId}.html` }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('filters the list by status and by number, keeps the filters in the address, and shows the API message for a bad number', async () => {
    const busy = await placeByApi(BUSY);
    const german = await placeByApi(GERMAN);
    await Promise.all([ended(busy), ended(german)]);

    const { page, context, problems } = await openPage(browser);
    await signInWithPassword(page, engine.baseUrl, engine.user.email, engine.user.password);
    const rows = page.getByTestId('calls-table').locator('tbody tr');
    await page.locator(`tr[data-call-id="${german}"]`).waitFor();

    await page.getByLabel('Status').selectOption('BUSY');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL(/[?&]status=BUSY/);
    await page.locator(`tr[data-call-id="${german}"]`).waitFor({ state: 'detached' });
    await expect(rows.evaluateAll((found) => found.map((row) => (row as unknown as { dataset: { callId: string } }).dataset.callId))).resolves.toEqual([busy]);

    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Number').fill('+49');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL(/[?&]number=%2B49/);
    await page.locator(`tr[data-call-id="${busy}"]`).waitFor({ state: 'detached' });
    await expect(rows.evaluateAll((found) => found.map((row) => (row as unknown as { dataset: { callId: string } }).dataset.callId))).resolves.toEqual([german]);

    await page.getByLabel('Number').fill('49*');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.locator('#filter-number-error').filter({ hasText: 'Must be digits' }).waitFor();

    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.locator(`tr[data-call-id="${busy}"]`).waitFor();

    // A call placed elsewhere (an API client) appears in the open list and reaches its end there, live.
    await page.evaluate("window.__calltrailNoReload = 'list'");
    const fresh = await placeByApi(ANSWERS);
    await page.locator(`tr[data-call-id="${fresh}"]`).getByTestId('call-status').filter({ hasText: 'COMPLETED' }).waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.__calltrailNoReload'), 'the list never reloaded').toBe('list');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a 380 px screen: the list, a call and the form never overflow the page column (tables scroll in place)', async () => {
    const callId = await placeByApi(ANSWERS);
    await ended(callId);
    const { page, context, problems } = await openPage(browser, { viewport: { width: 380, height: 800 } });
    await signInWithPassword(page, engine.baseUrl, engine.user.email, engine.user.password);
    // How far the page's content overflows its own box (tables scroll inside .table-wrap instead).
    // The shell's top bar is measured by the shell's tests, not here.
    const pageWidth = () => page.evaluate("(() => { const section = document.querySelector('section.page'); return 380 + section.scrollWidth - section.clientWidth; })()");
    await page.locator(`tr[data-call-id="${callId}"]`).waitFor();
    await expect(pageWidth(), 'calls list').resolves.toBeLessThanOrEqual(380);
    await page.locator(`tr[data-call-id="${callId}"]`).getByRole('link').click();
    await page.getByTestId('audit-verdict').waitFor();
    await expect(pageWidth(), 'call detail').resolves.toBeLessThanOrEqual(380);
    await page.getByRole('button', { name: 'Menu' }).click();
    await goTo(page, 'Place a call');
    await page.getByLabel('Phone number').waitFor();
    await expect(pageWidth(), 'place a call').resolves.toBeLessThanOrEqual(380);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('plays an audio file from a blob: URL, deletes another, and answers an unknown call with the API\'s 404 message', async () => {
    const upload = (name: string) =>
      request(engine.running.engine.app).post('/api/v1/audio').set('Authorization', `Bearer ${engine.tenantKey}`).field('name', name).attach('file', wav({ seconds: 1 }), `${name}.wav`);
    expect((await upload('Keep me')).status).toBe(201);
    expect((await upload('Throw me away')).status).toBe(201);

    const { page, context, problems } = await openPage(browser);
    await signInWithPassword(page, engine.baseUrl, engine.user.email, engine.user.password);
    await goTo(page, 'Audio library');
    await page.getByRole('button', { name: 'Play Keep me' }).click();
    const player = page.locator('audio[aria-label="Play Keep me"]');
    await player.waitFor();
    await expect(player.getAttribute('src')).resolves.toMatch(/^blob:/);

    await page.getByRole('button', { name: 'Delete Throw me away' }).click();
    await page.getByRole('button', { name: 'Yes, delete “Throw me away”' }).click();
    await page.getByTestId('audio-table').getByRole('cell', { name: 'Throw me away', exact: true }).waitFor({ state: 'detached' });
    await page.getByTestId('audio-table').getByRole('cell', { name: 'Keep me', exact: true }).waitFor();

    await page.evaluate("window.history.pushState(null, '', '/console/calls/00000000-0000-4000-8000-000000000000'); window.dispatchEvent(new Event('calltrail:navigated'))");
    await page.getByRole('alert').filter({ hasText: 'Call not found' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
