import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { liveEvents } from '../api/events.ts';
import type { Credentials } from '../auth/credentials.ts';
import { areaOf } from '../auth/credentials.ts';
import { session } from '../auth/session.ts';
import { ROUTES } from '../routes.ts';
import { matchPath } from '../router.ts';
import { Link } from './link.tsx';

function whoIs(credentials: Credentials): string {
  switch (credentials.kind) {
    case 'session':
      return credentials.user.email;
    case 'api_key':
      return 'API key';
    case 'operator':
      return 'Operator';
  }
}

/** The frame around every page: a skip link, the side navigation for this user's area, sign-out. */
export function Layout({ credentials, path, children }: { credentials: Credentials; path: string; children: ComponentChildren }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const area = areaOf(credentials);
  const entries = ROUTES.filter((route) => route.area === area && route.nav);
  const activeRoot = (routePath: string) => path === routePath || (routePath !== '/calls/new' && matchPath(`${routePath}/:rest`, path) !== null && !entries.some((other) => other.path === path && other.path !== routePath));
  const signOut = () => {
    session.signOut();
    liveEvents.reset();
  };
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button type="button" class="menu-toggle" aria-expanded={menuOpen} aria-controls="side-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <span class="brand">calltrail</span>
        <span class="who" data-testid="signed-in-as">
          {whoIs(credentials)}
          {area === 'operator' ? <span class="badge badge-active">operator</span> : null}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav id="side-nav" class={`side-nav${menuOpen ? ' open' : ''}`} aria-label="Main">
        <ul>
          {entries.map((route) => (
            <li key={route.path}>
              <Link to={route.path} aria-current={activeRoot(route.path) ? 'page' : undefined} onClick={() => setMenuOpen(false)}>
                {route.nav}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
