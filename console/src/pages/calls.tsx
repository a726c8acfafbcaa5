import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { API_FIELD, FILTER_NAMES, apiQueryOf, filtersOf, hasFilters, type CallFilters } from '../calls/filters.ts';
import { CALL_STATUSES, isCallEvent, type CallView, type Paged } from '../calls/types.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { LiveIndicator } from '../components/live-indicator.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatSeconds, formatTime } from '../format/values.ts';
import { positionHeader, useLiveRefresh } from '../hooks/use-live-refresh.ts';
import { useResource } from '../hooks/use-resource.ts';
import '../calls/calls.css';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';

const PER_PAGE = 25;
/** The benchmark (bench/console.bench.ts) reads this mark: the first time the table shows rows. */
export const FIRST_ROWS_MARK = 'calls-first-rows';

type Draft = Omit<CallFilters, 'page'>;

function FilterForm({ applied, issues }: { applied: CallFilters; issues: Record<string, string> }) {
  const [draft, setDraft] = useState<Draft>(applied);
  // A back/forward or a cleared filter changes the address: the inputs follow it.
  useEffect(() => setDraft(applied), [applied.status, applied.from, applied.to, applied.campaign, applied.number]);
  const change = (name: keyof Draft) => (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value });
  const apply = (event: Event) => {
    event.preventDefault();
    setQuery({ ...draft, page: null });
  };
  const clear = () => setQuery(Object.fromEntries([...FILTER_NAMES, 'page'].map((name) => [name, null])));
  const issue = (name: keyof Draft) => issues[API_FIELD[name]];
  return (
    <form class="filters" onSubmit={apply} aria-label="Filter calls">
      <Field id="filter-status" label="Status" error={issue('status')}>
        <select id="filter-status" value={draft.status} onChange={change('status')} {...describedBy('filter-status', issue('status'))}>
          <option value="">Any status</option>
          {CALL_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </Field>
      <Field id="filter-from" label="Created from" error={issue('from')}>
        <input id="filter-from" type="date" value={draft.from} onInput={change('from')} {...describedBy('filter-from', issue('from'))} />
      </Field>
      <Field id="filter-to" label="Created to" error={issue('to')}>
        <input id="filter-to" type="date" value={draft.to} onInput={change('to')} {...describedBy('filter-to', issue('to'))} />
      </Field>
      <Field id="filter-campaign" label="Campaign id" error={issue('campaign')}>
        <input id="filter-campaign" value={draft.campaign} onInput={change('campaign')} {...describedBy('filter-campaign', issue('campaign'))} />
      </Field>
      <Field id="filter-number" label="Number" error={issue('number')} hint="+prefix, or digits anywhere">
        <input id="filter-number" inputMode="tel" value={draft.number} onInput={change('number')} {...describedBy('filter-number', issue('number'), true)} />
      </Field>
      <div class="filter-actions">
        <button type="submit" class="primary">
          Filter
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}

function CallsTable({ calls }: { calls: CallView[] }) {
  return (
    <div class="table-wrap">
      <table data-testid="calls-table">
        <caption class="visually-hidden">Calls, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Duration</th>
            <th scope="col">Caller id</th>
            <th scope="col">Campaign</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr key={call.id} data-call-id={call.id}>
              <td>
                <Link to={`/calls/${call.id}`} aria-label={`Call to ${call.phone_number}, ${formatTime(call.created_at)}`}>
                  {call.phone_number}
                </Link>
                {call.mode === 'test' ? <span class="badge badge-muted">test</span> : null}
              </td>
              <td data-testid="call-status">
                <StatusBadge status={call.status} />
              </td>
              <td>{formatTime(call.created_at)}</td>
              <td>{formatSeconds(call.duration_seconds)}</td>
              <td>{call.from_number ?? '—'}</td>
              <td class="mono">{call.campaign_id ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CallsPage(_props: PageProps) {
  const { search } = useLocation();
  const filters = filtersOf(search);
  const address = search.toString();
  // The newest live event's position: a refetch after it waits until the read model has it.
  const position = useRef<string | null>(null);
  const calls = useResource((signal) => api<Paged<CallView>>('/calls', { query: apiQueryOf(filters, PER_PAGE), signal, headers: positionHeader(position.current) }), [address]);

  useLiveRefresh(
    (event) => {
      position.current = event.position;
      return calls.reload();
    },
    (event) => isCallEvent(event),
  );

  const rows = calls.value?.data ?? [];
  const marked = useRef(false);
  useEffect(() => {
    if (rows.length > 0 && !marked.current) {
      marked.current = true;
      performance.mark(FIRST_ROWS_MARK);
    }
  }, [rows.length]);

  const issues = calls.error instanceof ApiError ? calls.error.fieldIssues() : {};
  let body;
  if (!calls.value) {
    body = calls.error ? null : <p class="muted">Loading calls…</p>;
  } else if (rows.length > 0) {
    body = (
      <>
        <CallsTable calls={rows} />
        <Pagination info={calls.value.pagination} onPage={(page) => setQuery({ page })} label="Pages of calls" />
      </>
    );
  } else if (hasFilters(filters) || filters.page > 1) {
    body = (
      <EmptyState title="No calls match these filters.">
        <button type="button" onClick={() => setQuery({ status: null, from: null, to: null, campaign: null, number: null, page: null })}>
          Clear the filters
        </button>
      </EmptyState>
    );
  } else {
    body = (
      <EmptyState title="No calls yet — place one">
        <Link to="/calls/new">Place a call</Link> and it shows up here as it rings.
      </EmptyState>
    );
  }

  return (
    <Page
      title="Calls"
      actions={
        <>
          <LiveIndicator />
          <Link to="/calls/new" class="button primary">
            Place a call
          </Link>
        </>
      }
    >
      <FilterForm applied={filters} issues={issues} />
      <ErrorNotice error={calls.error} />
      {body}
    </Page>
  );
}
