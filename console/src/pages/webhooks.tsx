import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatTime } from '../format/values.ts';
import { useClientPages } from '../hooks/use-client-pages.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { usePositioned } from './parts/read-your-writes.ts';
import { ShownOnce } from '../components/shown-once.tsx';
import type { WebhookEndpoint } from './parts/types.ts';
import { WebhookForm, type WebhookBody } from './parts/webhook-form.tsx';
import { DataTable } from './parts/data-table.tsx';
import './parts/pages.css';

/**
 * The tenant's webhook endpoints (the API answers them all at once: an account has few), a form
 * for a new one whose `whsec_` secret is shown once, and enable/disable in place.
 */
export function WebhooksPage(_props: PageProps) {
  const positioned = usePositioned();
  const endpoints = useResource((signal) => api<{ data: WebhookEndpoint[] }>('/webhooks', { signal, headers: positioned.headers() }), []);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);

  const create = async (body: WebhookBody) => {
    const created = await positioned.write<WebhookEndpoint & { secret: string }>('/webhooks', { method: 'POST', body });
    setSecret(created.secret);
    setAdding(false);
    await endpoints.reload();
  };
  const setEnabled = async (endpoint: WebhookEndpoint, enabled: boolean) => {
    setRowError(null);
    try {
      await positioned.write(`/webhooks/${endpoint.id}`, { method: 'PATCH', body: { enabled } });
      await endpoints.reload();
    } catch (failure) {
      setRowError(failure);
    }
  };

  // The API answers every endpoint at once; the page still shows them a page at a time.
  const { rows, info, setPage } = useClientPages(endpoints.value?.data);
  return (
    <Page
      title="Webhooks"
      actions={
        <button type="button" class="primary" aria-expanded={adding} onClick={() => setAdding(!adding)}>
          New endpoint
        </button>
      }
    >
      {secret ? <ShownOnce label="Signing secret" hint="Use it to check the signature of every delivery (a rotated secret, too, is shown only once)." testId="webhook-secret" secret={secret} onDismiss={() => setSecret(null)} /> : null}
      {adding ? (
        <section class="panel" aria-label="New endpoint">
          <h2 class="panel-title">New endpoint</h2>
          <WebhookForm idPrefix="new-webhook" endpoint={null} submitLabel="Create endpoint" onSubmit={create} onCancel={() => setAdding(false)} />
        </section>
      ) : null}
      <ErrorNotice error={endpoints.error ?? rowError} />
      {endpoints.value && rows.length === 0 ? (
        <EmptyState title="No webhook endpoints yet.">
          <p>Add one with "New endpoint" to receive call, campaign and do-not-call events as signed POSTs.</p>
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <DataTable headers={['URL', 'Events', 'State', 'Created', 'Actions']}>
          {rows.map((endpoint) => (
            <tr key={endpoint.id} data-testid="webhook-row">
              <td class="mono">
                <Link to={`/webhooks/${endpoint.id}`}>{endpoint.url}</Link>
                {endpoint.description ? <div class="muted">{endpoint.description}</div> : null}
              </td>
              <td>
                {endpoint.events.map((type) => (
                  <span key={type} class="tag">
                    {type}
                  </span>
                ))}
              </td>
              <td>
                <StatusBadge status={endpoint.enabled ? 'active' : endpoint.status.state} />
                {endpoint.status.message ? <div class="muted">{endpoint.status.message}</div> : null}
              </td>
              <td>{formatTime(endpoint.created_at)}</td>
              <td>
                <button type="button" onClick={() => void setEnabled(endpoint, !endpoint.enabled)} aria-label={`${endpoint.enabled ? 'Disable' : 'Enable'} ${endpoint.url}`}>
                  {endpoint.enabled ? 'Disable' : 'Enable'}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {rows.length > 0 ? <Pagination info={info} onPage={setPage} label="Endpoint pages" /> : null}
    </Page>
  );
}
