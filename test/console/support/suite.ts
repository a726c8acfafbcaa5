import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { startConsoleEngine, type ConsoleEngine } from './console-engine.ts';

/**
 * One engine and one Chromium for a describe block: started before its tests, closed after.
 * Call inside `describe`; read `engine` and `browser` from the answer once the tests run.
 */
export function consoleSuite(): { engine: ConsoleEngine; browser: Browser } {
  const suite = {} as { engine: ConsoleEngine; browser: Browser };
  beforeAll(async () => {
    suite.engine = await startConsoleEngine();
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.engine?.close();
  });
  return suite;
}

/** Follows a link of the side navigation and waits for that page's heading. */
export async function openNav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}
