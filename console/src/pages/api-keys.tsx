import type { PageProps } from '../routes.ts';
import { Page } from '../components/page.tsx';

// STUB: not built yet. A helper replaces this file with the real page.
export function ApiKeysPage(_props: PageProps) {
  return <Page title="API keys"><p>Not built yet.</p></Page>;
}
