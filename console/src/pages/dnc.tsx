import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { formatTime } from '../format/values.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';
import { ConfirmButton } from './parts/confirm-button.tsx';
import { CsvImport } from './parts/csv-import.tsx';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { usePositioned } from './parts/read-your-writes.ts';
import type { DncCheck, DncEntry, Paged } from './parts/types.ts';
import { DataTable } from './parts/data-table.tsx';
import './parts/pages.css';
import { useSubmit } from './parts/use-submit.ts';

const PHONE_CODES = { INVALID_PHONE_NUMBER: 'phone' };

/**
 * The tenant's do-not-call list: the numbers it must never call (added here, by CSV, or by a
 * callee's opt-out keypress), a check of any one number (the operator's list included), add and remove.
 */
export function DncPage(_props: PageProps) {
  const { search } = useLocation();
  const page = Number(search.get('page') ?? '1') || 1;
  const positioned = usePositioned();
  const entries = useResource((signal) => api<Paged<DncEntry>>('/compliance/dnc', { signal, headers: positioned.headers(), query: { page, per_page: 25 } }), [page]);
  const [rowError, setRowError] = useState<unknown>(null);
  const [importing, setImporting] = useState(false);

  const remove = async (phone: string) => {
    setRowError(null);
    try {
      await positioned.write(`/compliance/dnc/${encodeURIComponent(phone)}`, { method: 'DELETE' });
      await entries.reload();
    } catch (failure) {
      setRowError(failure);
    }
  };

  const rows = entries.value?.data ?? [];
  return (
    <Page
      title="Do not call"
      actions={
        <button type="button" aria-expanded={importing} onClick={() => setImporting(!importing)}>
          Import CSV
        </button>
      }
    >
      <AddNumber positioned={positioned} onAdded={() => void entries.reload()} />
      <CheckNumber />
      {importing ? (
        <CsvImport
          id="dnc-csv"
          path="/compliance/dnc/import"
          title="Import numbers"
          hint="A phone_number (or phone) column, one number a row. Each refused row is listed with its reason."
          write={positioned.write}
          onImported={() => void entries.reload()}
        />
      ) : null}
      <h2>Listed numbers</h2>
      <ErrorNotice error={entries.error ?? rowError} />
      {entries.value && rows.length === 0 ? (
        <EmptyState title="No number is on your do-not-call list.">
          <p>Add a number above, import a CSV, or give campaigns an opt-out key so callees can add themselves.</p>
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <>
          <DataTable headers={['Phone', 'Reason', 'Source', 'Added', 'Actions']}>
            {rows.map((entry) => (
              <tr key={entry.phone} data-testid="dnc-row">
                <td class="mono">{entry.phone}</td>
                <td>{entry.reason ?? '—'}</td>
                <td>
                  {entry.source.replace(/_/g, ' ')}
                  {entry.operator_listed ? <span class="muted"> (also on the operator's list)</span> : null}
                </td>
                <td>{formatTime(entry.added_at)}</td>
                <td>
                  <ConfirmButton label="Remove" confirmLabel={`Remove ${entry.phone}`} onConfirm={() => void remove(entry.phone)} />
                </td>
              </tr>
            ))}
          </DataTable>
          <Pagination info={entries.value?.pagination} onPage={(next) => setQuery({ page: next })} label="Do-not-call pages" />
        </>
      ) : null}
    </Page>
  );
}

function AddNumber({ positioned, onAdded }: { positioned: ReturnType<typeof usePositioned>; onAdded: () => void }) {
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');

  const { busy, error, submit: add } = useSubmit(async () => {
    await positioned.write('/compliance/dnc', { method: 'POST', body: { phone, reason: reason.trim() || null } });
    setPhone('');
    setReason('');
    onAdded();
  });
  const { issues, placed } = fieldErrorsOf(error, ['phone', 'reason'], PHONE_CODES);

  return (
    <form class="panel" onSubmit={add} noValidate aria-label="Add a number">
      <h2 class="panel-title">Add a number</h2>
      <div class="form-grid">
        <Field id="dnc-phone" label="Phone" error={issues.phone}>
          <input id="dnc-phone" inputMode="tel" value={phone} onInput={(event) => setPhone((event.currentTarget as HTMLInputElement).value)} {...describedBy('dnc-phone', issues.phone)} />
        </Field>
        <Field id="dnc-reason" label="Reason (optional)" error={issues.reason}>
          <input id="dnc-reason" value={reason} onInput={(event) => setReason((event.currentTarget as HTMLInputElement).value)} {...describedBy('dnc-reason', issues.reason)} />
        </Field>
      </div>
      {placed ? null : <ErrorNotice error={error} />}
      <button type="submit" class="primary" disabled={busy}>
        Add to the list
      </button>
    </form>
  );
}

function CheckNumber() {
  const [phone, setPhone] = useState('');
  const [result, setResult] = useState<DncCheck | null>(null);
  const { error, submit: check } = useSubmit(async () => {
    setResult(null);
    setResult(await api<DncCheck>('/compliance/dnc', { query: { phone } }));
  });
  const { issues, placed } = fieldErrorsOf(error, ['phone'], PHONE_CODES);

  return (
    <form class="panel" onSubmit={check} noValidate aria-label="Check a number">
      <h2 class="panel-title">Check a number</h2>
      <div class="inline-form">
        <Field id="dnc-check-phone" label="Number to check" error={issues.phone}>
          <input id="dnc-check-phone" inputMode="tel" value={phone} onInput={(event) => setPhone((event.currentTarget as HTMLInputElement).value)} {...describedBy('dnc-check-phone', issues.phone)} />
        </Field>
        <button type="submit">Check</button>
      </div>
      {placed ? null : <ErrorNotice error={error} />}
      {result ? (
        <p class="check-result" role="status" data-testid="dnc-check-result">
          <span class="mono">{result.phone}</span>{' '}
          {result.listed ? (
            <>
              is <strong>listed</strong> ({result.scope === 'operator' ? "on the operator's list" : 'on your list'}
              {result.reason ? `: ${result.reason}` : ''}) and will not be called.
            </>
          ) : (
            <>is not listed.</>
          )}
        </p>
      ) : null}
    </form>
  );
}
