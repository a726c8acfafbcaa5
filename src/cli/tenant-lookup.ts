import type { EventStore } from '../adapters/eventstore/port.ts';
import type { GlobalPosition } from '../domain/shared/messages.ts';
import { categoryOf, idOf } from '../domain/shared/streams.ts';

/** `userEmails`: the tenant's users still active, by email. */
export type ExistingTenant = { accountId: string; name: string; userEmails: string[] };

const PAGE = 2000;

/**
 * The tenant currently named `name`, read from the log itself rather than the read model: the CLI
 * runs no projections, and a read model the engine has not caught up yet would miss a tenant the
 * previous `init` just made. It is one pass over the log, and only `init` with a tenant asks.
 */
export async function tenantNamed(store: EventStore, name: string): Promise<ExistingTenant | null> {
  const names = new Map<string, string>();
  const users = new Map<string, Map<string, string>>();
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after ? { after } : {}), maxCount: PAGE });
    for (const event of page) {
      if (categoryOf(event.streamName) !== 'account') continue;
      const data = event.data as Record<string, any>;
      if (event.type === 'AccountOpened' || event.type === 'AccountSettingsChanged') names.set(data.accountId, data.name);
      if (event.type === 'UserAdded') {
        const known = users.get(data.accountId) ?? new Map<string, string>();
        known.set(data.userId, data.email);
        users.set(data.accountId, known);
      }
      if (event.type === 'UserRemoved') users.get(idOf(event.streamName))?.delete(data.userId);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.position;
  }
  for (const [accountId, current] of names) {
    if (current === name) return { accountId, name, userEmails: [...(users.get(accountId)?.values() ?? [])] };
  }
  return null;
}
