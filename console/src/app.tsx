import { useEffect, useState } from 'preact/hooks';
import { liveEvents } from './api/events.ts';
import { areaOf } from './auth/credentials.ts';
import { session } from './auth/session.ts';
import { EmptyState } from './components/empty-state.tsx';
import { Layout } from './components/layout.tsx';
import { Link } from './components/link.tsx';
import { Page } from './components/page.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { findRoute, HOME } from './routes.ts';
import { matchPath, navigate, useLocation } from './router.ts';

/** Signed out: the sign-in page. Signed in: the page for the address, if this user's area has it. */
export function App() {
  const [credentials, setCredentials] = useState(session.current());
  const { path } = useLocation();

  useEffect(
    () =>
      session.subscribe((next) => {
        setCredentials(next);
        if (!next) liveEvents.reset();
      }),
    [],
  );

  const area = credentials ? areaOf(credentials) : null;
  useEffect(() => {
    if (area && path === '/') navigate(HOME[area], { replace: true });
  }, [area, path]);

  if (!credentials || !area) return <SignInPage />;
  const found = findRoute(path, matchPath);
  let content;
  if (!found) {
    content = (
      <Page title="Not found">
        <EmptyState title="There is no page at this address.">
          <Link to={HOME[area]}>Go to the start page</Link>
        </EmptyState>
      </Page>
    );
  } else if (found.route.area !== area) {
    // A tenant never sees operator pages (and the operator has no tenant to show pages for).
    content = (
      <Page title="Not available">
        <EmptyState title={area === 'tenant' ? 'This page is for the operator. Sign in with the operator key to use it.' : 'This page belongs to a tenant. Sign in with a tenant login or API key to use it.'}>
          <Link to={HOME[area]}>Go to the start page</Link>
        </EmptyState>
      </Page>
    );
  } else {
    const Component = found.route.component;
    content = <Component params={found.params} />;
  }
  return (
    <Layout credentials={credentials} path={path}>
      {content}
    </Layout>
  );
}
