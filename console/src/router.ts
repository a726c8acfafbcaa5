import { useEffect, useState } from 'preact/hooks';

/**
 * A small history router. The console lives under /console; the engine also serves it at /,
 * where the first render moves the address to /console/ so every link has one form.
 */
export const BASE = '/console';

const NAVIGATED = 'calltrail:navigated';

export function currentPath(): string {
  const path = window.location.pathname;
  if (path === BASE || path === `${BASE}/`) return '/';
  return path.startsWith(`${BASE}/`) ? path.slice(BASE.length) : '/';
}

export function hrefOf(path: string): string {
  return `${BASE}${path === '/' ? '/' : path}`;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const href = hrefOf(path);
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** The path (without /console) and the query string, re-rendering on every navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const read = () => ({ path: currentPath(), search: new URLSearchParams(window.location.search) });
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return location;
}

/** Keeps filters in the address (so a reload or a shared link shows the same list). */
export function setQuery(values: Record<string, string | number | null | undefined>): void {
  const search = new URLSearchParams(window.location.search);
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '') search.delete(name);
    else search.set(name, String(value));
  }
  const query = search.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** `/calls/:id` against `/calls/abc` → `{ id: 'abc' }`; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < want.length; index += 1) {
    const part = want[index]!;
    const value = have[index]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}
