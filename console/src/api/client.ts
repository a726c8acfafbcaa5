import { session } from '../auth/session.ts';
import type { Credentials, UserSummary } from '../auth/credentials.ts';
import { ApiError, NetworkError, apiErrorOf } from './errors.ts';

/**
 * The console's only way to the engine: the public /api/v1 with the signed-in credentials.
 * A session's access token is refreshed shortly before it expires, and once more after a 401,
 * so a long-open page keeps working; a refresh that fails signs the user out.
 */
export const API_BASE = '/api/v1';
const REFRESH_MARGIN_MS = 30_000;

export type RequestOptions = {
  method?: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send without credentials (login, refresh). */
  anonymous?: boolean;
};

type TokenAnswer = { access_token: string; refresh_token: string; expires_in: number; user: UserSummary };

export function sessionFromTokens(tokens: TokenAnswer, now = Date.now()): Credentials {
  return { kind: 'session', accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: now + tokens.expires_in * 1000, user: tokens.user };
}

export function urlOf(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

let refreshing: Promise<Credentials | null> | null = null;

async function refreshSession(credentials: Extract<Credentials, { kind: 'session' }>): Promise<Credentials | null> {
  refreshing ??= (async () => {
    try {
      const response = await fetch(urlOf('/auth/refresh'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: credentials.refreshToken }),
      });
      if (!response.ok) {
        session.signOut();
        return null;
      }
      const next = sessionFromTokens((await response.json()) as TokenAnswer);
      session.replace(next);
      return next;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function bearer(forceRefresh: boolean): Promise<string | null> {
  const credentials = session.current();
  if (!credentials) return null;
  if (credentials.kind !== 'session') return credentials.key;
  if (forceRefresh || credentials.expiresAt - Date.now() < REFRESH_MARGIN_MS) {
    const next = await refreshSession(credentials);
    return next && next.kind === 'session' ? next.accessToken : null;
  }
  return credentials.accessToken;
}

/** Authorization for a request the caller makes itself (uploads with progress, the event stream, downloads). */
export async function authorizationHeader(): Promise<Record<string, string>> {
  const token = await bearer(false);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const attempt = async (forceRefresh: boolean): Promise<Response> => {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (!options.anonymous) {
      const token = await bearer(forceRefresh);
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    try {
      return await fetch(urlOf(path, options.query), { method: options.method ?? 'GET', headers, body, signal: options.signal });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new NetworkError('The engine did not answer. Is it running?');
    }
  };
  let response = await attempt(false);
  if (response.status === 401 && !options.anonymous && session.current()?.kind === 'session') response = await attempt(true);
  if (!response.ok) throw await apiErrorOf(response);
  return response;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export { ApiError, NetworkError };
