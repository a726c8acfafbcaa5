import type { PageProps } from '../routes.ts';
import { Page } from '../components/page.tsx';

// STUB: not built yet. A helper replaces this file with the real page.
export function OperatorAuditPage(_props: PageProps) {
  return <Page title="Verify and audit"><p>Not built yet.</p></Page>;
}
