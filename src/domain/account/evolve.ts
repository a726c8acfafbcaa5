import { isAccountEventType, type AccountEvent } from './events.ts';
import type { AccountState } from './state.ts';

/** Folds one event in. Unknown types and events that do not fit are skipped: a stream must always load. */
export function evolveAccount(
  state: AccountState,
  event: { readonly type: string; readonly data: unknown },
): AccountState {
  if (!isAccountEventType(event.type)) return state;
  const known = event as AccountEvent;

  switch (known.type) {
    case 'AccountOpened':
      return state.status === 'Initial' ? { status: 'Open', profile: known.data, keys: new Map() } : state;

    case 'ApiKeyIssued': {
      if (state.status !== 'Open' || state.keys.has(known.data.keyId)) return state;
      const { accountId: _account, ...key } = known.data;
      const keys = new Map(state.keys);
      keys.set(key.keyId, { ...key, revokedAt: null });
      return { ...state, keys };
    }

    case 'ApiKeyRevoked': {
      if (state.status !== 'Open') return state;
      const key = state.keys.get(known.data.keyId);
      if (!key || key.revokedAt !== null) return state;
      const keys = new Map(state.keys);
      keys.set(key.keyId, { ...key, revokedAt: known.data.revokedAt });
      return { ...state, keys };
    }

    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}
