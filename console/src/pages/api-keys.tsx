import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { ConfirmAction } from '../components/confirm-action.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { TextField } from '../components/text-field.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { ShownOnce } from '../components/shown-once.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatTime } from '../format/values.ts';
import { useClientPages } from '../hooks/use-client-pages.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { DataTable } from './parts/data-table.tsx';
import { FormActions } from './parts/form-actions.tsx';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { useSubmit } from './parts/use-submit.ts';
import '../operations.css';

/** /api-keys: the account's keys (prefix only, never a secret), issuing one (its secret shown once) and revoking. */
type ApiKey = { id: string; name: string; prefix: string; mode: string; role: string; scopes: string[]; status: string; created_at: string; revoked_at: string | null };

const ROLES = ['developer', 'admin', 'owner'] as const;

function NewKeyForm({ onIssued }: { onIssued: (key: ApiKey & { key: string }) => void }) {
  const [name, setName] = useState('');
  const [mode, setMode] = useState('live');
  const [role, setRole] = useState('developer');
  const [scopes, setScopes] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    const list = scopes.split(/[\s,]+/).filter(Boolean);
    const issued = await api<ApiKey & { key: string }>('/api-keys', { method: 'POST', body: { name, mode, role, scopes: list } });
    setName('');
    setScopes('');
    onIssued(issued);
  });
  const { issues } = fieldErrorsOf(error, []);
  const scopesError = issues.scopes ?? Object.entries(issues).find(([path]) => path.startsWith('scopes.'))?.[1];

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="new-key-title">
      <h2 id="new-key-title">Create an API key</h2>
      <div class="form-grid">
        <TextField id="key-name" label="Name" value={name} onInput={setName} error={issues.name} hint="What uses it, e.g. “CRM sync”." />
        <Field id="key-mode" label="Mode" error={issues.mode}>
          <select id="key-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)} {...describedBy('key-mode', issues.mode)}>
            <option value="live">live</option>
            <option value="test">test</option>
          </select>
        </Field>
        <Field id="key-role" label="Role" error={issues.role} hint="Never above your own.">
          <select id="key-role" value={role} onChange={(e) => setRole(e.currentTarget.value)} {...describedBy('key-role', issues.role, true)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <TextField id="key-scopes" label="Scopes (optional)" value={scopes} onInput={setScopes} error={scopesError} hint="Separated by spaces or commas." />
      </div>
      <ErrorNotice error={error} />
      <FormActions busy={busy} submitLabel={busy ? 'Creating…' : 'Create key'} />
    </form>
  );
}

export function ApiKeysPage(_props: PageProps) {
  const keys = useResource((signal) => api<{ data: ApiKey[] }>('/api-keys', { signal }), []);
  const [issued, setIssued] = useState<(ApiKey & { key: string }) | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const { rows, info, setPage } = useClientPages(keys.value?.data);

  const revoke = async (key: ApiKey) => {
    setActionError(null);
    try {
      await api(`/api-keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      if (issued?.id === key.id) setIssued(null);
      await keys.reload();
    } catch (failure) {
      setActionError(failure);
    }
  };

  return (
    <Page title="API keys">
      {issued ? <ShownOnce label={`The secret of “${issued.name}”`} secret={issued.key} onDismiss={() => setIssued(null)} /> : null}
      <NewKeyForm
        onIssued={(key) => {
          setIssued(key);
          void keys.reload();
        }}
      />
      <ErrorNotice error={keys.error ?? actionError} />
      {keys.value && keys.value.data.length === 0 ? (
        <EmptyState title="This account has no API keys yet.">Create one above; its secret is shown once, so copy it where your code can read it.</EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <DataTable caption="API keys" headers={['Name', 'Prefix', 'Mode', 'Role', 'Status', 'Created', 'Actions']}>
          {rows.map((key) => (
            <tr key={key.id} data-testid={`api-key-${key.id}`}>
              <td>{key.name}</td>
              <td class="mono">{key.prefix}…</td>
              <td>{key.mode}</td>
              <td>{key.role}</td>
              <td>
                <StatusBadge status={key.status} />
                {key.revoked_at ? <span class="muted"> {formatTime(key.revoked_at)}</span> : null}
              </td>
              <td>{formatTime(key.created_at)}</td>
              <td>
                {key.status === 'active' ? (
                  <ConfirmAction label="Revoke" question={`Revoke “${key.name}”? Calls with it fail at once.`} confirmLabel="Yes, revoke" onConfirm={() => revoke(key)} />
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <Pagination info={info} onPage={setPage} label="API key pages" />
    </Page>
  );
}
