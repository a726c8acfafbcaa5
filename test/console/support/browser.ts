import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Headless Chromium for the console's browser tests: Debian's chromium (CI installs it) driven by
 * playwright-core. Without the binary the tests are skipped with a printed reason. Every page
 * records what the browser reported — console errors, failed scripts, CSP violations — so a
 * journey can assert there were none.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CONSOLE_INDEX = fileURLToPath(new URL('../../../console/dist/index.html', import.meta.url));

// The flags the machine's own probe used: without the background-networking ones Chromium keeps
// reaching for Google's hosts, which this closed network refuses.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

let reasonPrinted = false;

/** Null when a browser test can run; otherwise why not (printed once). */
export function browserSkipReason(): string | null {
  let reason: string | null = null;
  if (!existsSync(CHROMIUM_PATH)) reason = `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  else if (!existsSync(CONSOLE_INDEX)) reason = 'browser tests skipped: the console is not built (npm run build:console)';
  if (reason && !reasonPrinted) {
    reasonPrinted = true;
    console.log(reason);
  }
  return reason;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

export type WatchedPage = { page: Page; context: BrowserContext; problems: string[] };

/** A fresh context (no storage shared with other tests) and a page whose problems are collected. */
export async function openPage(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // A 4xx the page asked for on purpose is logged by Chromium as a console error; those are part of journeys.
    if (message.type() === 'error' && !/the server responded with a status of 4\d\d/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A string, because this runs in the page (whose DOM types this Node project does not load).
  await page.addInitScript("document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));");
  return { page, context, problems };
}
