import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatTime } from '../format/values.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { navigate, setQuery, useLocation } from '../router.ts';
import { ConfirmButton } from './parts/confirm-button.tsx';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { usePositioned, type Positioned } from './parts/read-your-writes.ts';
import { ShownOnce } from '../components/shown-once.tsx';
import type { Paged, WebhookDelivery, WebhookEndpoint } from './parts/types.ts';
import { WebhookForm, type WebhookBody } from './parts/webhook-form.tsx';
import { DataTable } from './parts/data-table.tsx';
import './parts/pages.css';
import { useSubmit } from './parts/use-submit.ts';

const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'];
const DELIVERY_TONES: Record<string, string> = { pending: 'active', delivered: 'good', failed: 'bad' };

/**
 * One webhook endpoint: edit it, switch it on or off, rotate its secret (the new one shown once),
 * delete it; and its delivery log — each delivery's attempts, response codes, latency and next
 * retry — with redelivery of one and replay of a time range.
 */
export function WebhookDetailPage({ params }: PageProps) {
  const id = params.id ?? '';
  const path = `/webhooks/${encodeURIComponent(id)}`;
  const { search } = useLocation();
  const page = Number(search.get('page') ?? '1') || 1;
  const status = search.get('status') ?? '';
  const positioned = usePositioned();
  const endpoint = useResource((signal) => api<WebhookEndpoint>(path, { signal, headers: positioned.headers() }), [path]);
  const deliveries = useResource(
    (signal) => api<Paged<WebhookDelivery>>(`${path}/deliveries`, { signal, headers: positioned.headers(), query: { page, per_page: 25, status } }),
    [path, page, status],
  );
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = async (action: () => Promise<void>) => {
    setActionError(null);
    setNotice(null);
    try {
      await action();
    } catch (failure) {
      setActionError(failure);
    }
  };
  const save = async (body: WebhookBody) => {
    await positioned.write(path, { method: 'PATCH', body });
    setEditing(false);
    await endpoint.reload();
  };
  const setEnabled = (enabled: boolean) =>
    run(async () => {
      await positioned.write(path, { method: 'PATCH', body: { enabled } });
      await endpoint.reload();
    });
  const rotate = () =>
    run(async () => {
      const rotated = await positioned.write<{ secret: string }>(`${path}/rotate-secret`, { method: 'POST' });
      setSecret(rotated.secret);
      await endpoint.reload();
    });
  const remove = () =>
    run(async () => {
      await positioned.write(path, { method: 'DELETE' });
      navigate('/webhooks');
    });
  const redeliver = (delivery: WebhookDelivery) =>
    run(async () => {
      await positioned.write(`${path}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`, { method: 'POST' });
      setNotice(`Redelivery of ${delivery.event_type} queued.`);
      await deliveries.reload();
    });

  const value = endpoint.value;
  if (!value) {
    return (
      <Page title="Webhook endpoint">
        <ErrorNotice error={endpoint.error} />
        {endpoint.loading ? <p class="muted">Loading…</p> : null}
        <Link to="/webhooks">Back to webhooks</Link>
      </Page>
    );
  }
  const rows = deliveries.value?.data ?? [];
  return (
    <Page title="Webhook endpoint" actions={<Link to="/webhooks">Back to webhooks</Link>}>
      {secret ? <ShownOnce label="Signing secret" hint="Use it to check the signature of every delivery (a rotated secret, too, is shown only once)." testId="webhook-secret" secret={secret} onDismiss={() => setSecret(null)} /> : null}
      <section class="panel" aria-label="Endpoint">
        <p class="mono">{value.url}</p>
        <p>
          <StatusBadge status={value.enabled ? 'active' : value.status.state} /> {value.status.message ? <span class="muted">{value.status.message}</span> : null}
        </p>
        <p>
          Events:{' '}
          {value.events.map((type) => (
            <span key={type} class="tag">
              {type}
            </span>
          ))}
        </p>
        {value.description ? <p>{value.description}</p> : null}
        {value.previous_secret_valid_until ? <p class="muted">The previous secret is still accepted until {formatTime(value.previous_secret_valid_until)}.</p> : null}
        <div class="form-actions">
          <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            Edit
          </button>
          <button type="button" onClick={() => void setEnabled(!value.enabled)}>
            {value.enabled ? 'Disable' : 'Enable'}
          </button>
          <ConfirmButton label="Rotate secret" confirmLabel="Rotate: make a new secret" onConfirm={() => void rotate()} />
          <ConfirmButton label="Delete" confirmLabel="Delete this endpoint" onConfirm={() => void remove()} />
        </div>
        {editing ? <WebhookForm idPrefix="edit-webhook" endpoint={value} submitLabel="Save endpoint" onSubmit={save} onCancel={() => setEditing(false)} /> : null}
      </section>
      <ErrorNotice error={actionError} />
      {notice ? (
        <p class="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}
      <Replay path={path} positioned={positioned} onReplayed={(count) => {
        setNotice(`${count} ${count === 1 ? 'event' : 'events'} queued for replay.`);
        void deliveries.reload();
      }} />
      <h2>Delivery log</h2>
      <div class="filters">
        <div class="field">
          <label for="delivery-status">Status</label>
          <select id="delivery-status" value={status} onChange={(event) => setQuery({ status: (event.currentTarget as HTMLSelectElement).value, page: null })}>
            <option value="">Any</option>
            {DELIVERY_STATUSES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <button type="button" onClick={() => void deliveries.reload()}>
            Refresh
          </button>
        </div>
      </div>
      <ErrorNotice error={deliveries.error} />
      {deliveries.value && rows.length === 0 ? (
        <EmptyState title={status ? `No ${status} deliveries.` : 'Nothing delivered yet.'}>
          <p>Deliveries appear here when an event this endpoint subscribes to happens; replay a time range above to send past events.</p>
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <>
          <DataTable headers={['Event', 'Status', 'Attempts', 'Last response', 'Latency', 'Next retry', 'Actions']}>
            {rows.map((delivery) => (
              <tr key={delivery.id} data-testid="delivery-row">
                <td>
                  {delivery.event_type}
                  <div class="muted">
                    {formatTime(delivery.enqueued_at)}
                    {delivery.origin !== 'log' ? ` · ${delivery.origin}` : ''}
                  </div>
                </td>
                <td>
                  <span class={`badge badge-${DELIVERY_TONES[delivery.status] ?? 'muted'}`}>{delivery.status}</span>
                </td>
                <td>
                  <details>
                    <summary>{delivery.attempt_count}</summary>
                    <ol>
                      {delivery.attempts.map((attempt) => (
                        <li key={attempt.attempt}>
                          {formatTime(attempt.at)}: {attempt.status_code ?? attempt.error ?? 'no answer'}
                          {attempt.latency_ms !== null ? `, ${attempt.latency_ms} ms` : ''}
                          {attempt.next_retry_at ? `, retry at ${formatTime(attempt.next_retry_at)}` : ''}
                        </li>
                      ))}
                    </ol>
                  </details>
                </td>
                <td>{delivery.last_response.status_code ?? delivery.last_response.error ?? '—'}</td>
                <td>{delivery.last_response.latency_ms !== null ? `${delivery.last_response.latency_ms} ms` : '—'}</td>
                <td>{formatTime(delivery.next_attempt_at)}</td>
                <td>
                  <button type="button" onClick={() => void redeliver(delivery)} aria-label={`Redeliver ${delivery.event_type}`}>
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pagination info={deliveries.value?.pagination} onPage={(next) => setQuery({ page: next })} label="Delivery pages" />
        </>
      ) : null}
    </Page>
  );
}

/** `datetime-local` gives local wall time without a zone; the API wants an instant with an offset. */
function instantOf(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

function Replay({ path, positioned, onReplayed }: { path: string; positioned: Positioned; onReplayed: (count: number) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const { busy, error, submit: replay } = useSubmit(async () => {
    const report = await positioned.write<{ count: number }>(`${path}/replay`, { method: 'POST', body: { from: instantOf(from), to: instantOf(to) } });
    onReplayed(report.count);
  });
  const { issues, placed } = fieldErrorsOf(error, ['from', 'to']);

  return (
    <form class="panel" onSubmit={replay} noValidate aria-label="Replay a time range">
      <h2 class="panel-title">Replay a time range</h2>
      <p class="field-hint">Sends again every subscribed event that happened between the two times (your browser's time zone).</p>
      <div class="inline-form">
        <Field id="replay-from" label="From" error={issues.from}>
          <input id="replay-from" type="datetime-local" step={1} value={from} onInput={(event) => setFrom((event.currentTarget as HTMLInputElement).value)} {...describedBy('replay-from', issues.from)} />
        </Field>
        <Field id="replay-to" label="To" error={issues.to}>
          <input id="replay-to" type="datetime-local" step={1} value={to} onInput={(event) => setTo((event.currentTarget as HTMLInputElement).value)} {...describedBy('replay-to', issues.to)} />
        </Field>
        <button type="submit" disabled={busy}>
          Replay
        </button>
      </div>
      {placed ? null : <ErrorNotice error={error} />}
    </form>
  );
}
