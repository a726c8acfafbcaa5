import type { PageProps } from '../routes.ts';
import { Page } from '../components/page.tsx';

// STUB: not built yet. A helper replaces this file with the real page.
export function WebhookDetailPage(_props: PageProps) {
  return <Page title="Webhook"><p>Not built yet.</p></Page>;
}
