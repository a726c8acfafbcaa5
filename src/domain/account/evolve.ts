import { isAccountEventType, type AccountEvent } from './events.ts';
import { DEFAULT_PLAN, type AccountState, type User } from './state.ts';

/** Folds one event in. Unknown types and events that do not fit are skipped: a stream must always load. */
export function evolveAccount(
  state: AccountState,
  event: { readonly type: string; readonly data: unknown },
): AccountState {
  if (!isAccountEventType(event.type)) return state;
  const known = event as AccountEvent;

  switch (known.type) {
    case 'AccountOpened':
      return state.status === 'Initial'
        ? { status: 'Open', profile: known.data, keys: new Map(), users: new Map(), plan: DEFAULT_PLAN, maxCallDurationSeconds: null, callingHours: null }
        : state;

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

    case 'AccountSettingsChanged': {
      if (state.status !== 'Open') return state;
      const { name, defaultCountry, timeZone } = known.data;
      return { ...state, profile: { ...state.profile, name, defaultCountry, timeZone } };
    }

    case 'CallDefaultsChanged':
      return state.status === 'Open' ? { ...state, maxCallDurationSeconds: known.data.maxCallDurationSeconds } : state;
    case 'CallingHoursChanged':
      return state.status === 'Open' ? { ...state, callingHours: known.data.callingHours } : state;

    case 'AccountPlanChanged': {
      if (state.status !== 'Open') return state;
      const { plan, generalPerMinute, callsPerMinute } = known.data;
      return { ...state, plan: { plan, generalPerMinute, callsPerMinute } };
    }

    case 'UserAdded': {
      if (state.status !== 'Open' || state.users.has(known.data.userId)) return state;
      const { accountId: _account, ...user } = known.data;
      return { ...state, users: withUser(state.users, { ...user, removedAt: null }) };
    }

    case 'UserRoleChanged': {
      if (state.status !== 'Open') return state;
      const user = state.users.get(known.data.userId);
      if (!user || user.removedAt !== null) return state;
      return { ...state, users: withUser(state.users, { ...user, role: known.data.role }) };
    }

    case 'UserPasswordChanged': {
      if (state.status !== 'Open') return state;
      const user = state.users.get(known.data.userId);
      if (!user || user.removedAt !== null) return state;
      return { ...state, users: withUser(state.users, { ...user, passwordHash: known.data.passwordHash }) };
    }

    case 'UserRemoved': {
      if (state.status !== 'Open') return state;
      const user = state.users.get(known.data.userId);
      if (!user || user.removedAt !== null) return state;
      return { ...state, users: withUser(state.users, { ...user, removedAt: known.data.removedAt }) };
    }

    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}

function withUser(users: ReadonlyMap<string, User>, user: User): ReadonlyMap<string, User> {
  const next = new Map(users);
  next.set(user.userId, user);
  return next;
}
