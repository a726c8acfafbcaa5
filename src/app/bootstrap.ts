import type { Engine } from './engine.ts';
import type { EngineConfig } from './config.ts';

export const DEMO_ACCOUNT_NAME = 'Demo account';
export const DEMO_KEY_NAME = 'sandbox demo key';

const operator = (reason: string) => ({
  actor: 'system:bootstrap',
  correlationId: crypto.randomUUID(),
  causationId: reason,
});

/**
 * The sandbox's first-start convenience: a demo account, and a fresh demo key on every start.
 * Keys are stored only as hashes, so the one printed last time cannot be shown again; instead the
 * previous demo key is revoked and a new one is issued and printed.
 */
export async function ensureDemoAccess(engine: Engine, config: EngineConfig): Promise<{ accountId: string; apiKey: string }> {
  let account = await engine.accountQueries.firstAccountNamed(DEMO_ACCOUNT_NAME);
  let accountId = account?.accountId;
  if (!accountId) {
    const opened = await engine.accounts.open(operator('first start'), { name: DEMO_ACCOUNT_NAME, ...config.demoAccount });
    accountId = opened.accountId;
    await engine.waitForProjections(opened.position);
  }
  // The demo account can place calls out of the box: a rate plan and an opening deposit, made once
  // (both steps are idempotent, so a sandbox from before billing gets them on its next start).
  await engine.billing.setUpSandbox(accountId, account?.currency ?? config.demoAccount.currency);
  for (const keyId of await engine.accountQueries.activeKeysNamed(accountId, DEMO_KEY_NAME)) {
    await engine.accounts.revokeKey(operator('sandbox restart'), accountId, keyId);
  }
  const key = await engine.accounts.issueKey(operator('sandbox start'), accountId, {
    name: DEMO_KEY_NAME,
    mode: 'live',
    scopes: [],
  });
  await engine.waitForProjections(key.position);
  return { accountId, apiKey: key.secret };
}
