import type { Browser } from 'playwright-core';
import { openPage, type WatchedPage } from './browser.ts';
import type { ConsoleEngine } from './console-engine.ts';
import { signInWithKey } from './sign-in.ts';

/** A fresh watched page (of the size given), signed in with the tenant's key, on the page the navigation names. */
export async function openSignedIn(browser: Browser, engine: ConsoleEngine, nav: string, viewport?: { width: number; height: number }): Promise<WatchedPage> {
  const watched = await openPage(browser, viewport ? { viewport } : {});
  await signInWithKey(watched.page, engine.baseUrl, 'API key', engine.tenantKey);
  // On a narrow screen the navigation is folded behind the Menu button.
  if (viewport && viewport.width <= 720) await watched.page.getByRole('button', { name: 'Menu' }).click();
  await watched.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: nav }).click();
  await watched.page.getByRole('heading', { level: 1, name: nav }).waitFor();
  return watched;
}
