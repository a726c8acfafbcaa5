/**
 * Who the console speaks as. A tenant user signs in (JWT + refresh token) or pastes an API key;
 * the operator pastes the operator key. Secrets live in memory only, unless the user ticks
 * "remember" — then, and only then, they go to localStorage.
 */
export type UserSummary = { id: string; account_id: string; email: string; name: string | null; role: string };

export type Credentials =
  | { kind: 'session'; accessToken: string; refreshToken: string; expiresAt: number; user: UserSummary }
  | { kind: 'api_key'; key: string }
  | { kind: 'operator'; key: string };

export type Area = 'tenant' | 'operator';

export const areaOf = (credentials: Credentials): Area => (credentials.kind === 'operator' ? 'operator' : 'tenant');

const STORAGE_KEY = 'calltrail.console.credentials';

export function loadRemembered(): Credentials | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Credentials) : null;
  } catch {
    return null;
  }
}

export function remember(credentials: Credentials | null): void {
  if (credentials) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  else window.localStorage.removeItem(STORAGE_KEY);
}

export const isRemembered = (): boolean => window.localStorage.getItem(STORAGE_KEY) !== null;
