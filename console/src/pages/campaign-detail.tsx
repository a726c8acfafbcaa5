import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { liveEvents } from '../api/events.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatMoney, formatPercent, formatTime } from '../format/values.ts';
import { useLiveEvents } from '../hooks/use-live-events.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';
import { CONTACT_STATES, LIFECYCLE_ACTIONS, isLegal, progressOf, type LifecycleAction } from './parts/campaign-state.ts';
import { useCoalescedRefetch } from './parts/coalesced-refetch.ts';
import { usePositioned } from './parts/read-your-writes.ts';
import type { Campaign, CampaignContact, Paged } from './parts/types.ts';
import { DataTable } from './parts/data-table.tsx';
import './parts/pages.css';

const ACTION_LABELS: Record<LifecycleAction, string> = { start: 'Start', pause: 'Pause', resume: 'Resume', cancel: 'Cancel' };

/**
 * One campaign: its lifecycle buttons, its live progress, and its contacts. Every event of this
 * campaign on the live stream refetches the campaign and the visible contacts page — coalesced, so
 * a burst of call events costs one refetch in flight and one after it, asked at the newest position.
 */
export function CampaignDetailPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { search } = useLocation();
  const state = search.get('state') ?? '';
  const page = Number(search.get('page') ?? '1') || 1;
  const positioned = usePositioned();
  const headers = positioned.headers;

  const campaign = useResource((signal) => api<Campaign>(`/campaigns/${encodeURIComponent(id)}`, { signal, headers: headers() }), [id]);
  const contacts = useResource(
    (signal) => api<Paged<CampaignContact>>(`/campaigns/${encodeURIComponent(id)}/contacts`, { signal, headers: headers(), query: { state, page, per_page: 25 } }),
    [id, state, page],
  );
  const refetch = useCoalescedRefetch(async (at) => {
    positioned.remember(at);
    await Promise.all([campaign.reload(), contacts.reload()]);
  });
  useLiveEvents(
    (event) => refetch(event.position),
    (event) => event.campaign_id === id || (event.subject.kind === 'campaign' && event.subject.id === id),
  );
  const live = useLiveConnection();

  const [actionError, setActionError] = useState<unknown>(null);
  const [acting, setActing] = useState<LifecycleAction | null>(null);
  const act = async (action: LifecycleAction) => {
    setActing(action);
    setActionError(null);
    try {
      await positioned.write(`/campaigns/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
      refetch();
    } catch (failure) {
      setActionError(failure);
    } finally {
      setActing(null);
    }
  };

  const value = campaign.value;
  if (!value) {
    return (
      <Page title="Campaign">
        <ErrorNotice error={campaign.error} />
        {campaign.loading ? <p class="muted">Loading…</p> : null}
        <Link to="/campaigns">Back to campaigns</Link>
      </Page>
    );
  }
  const stats = value.statistics;
  const { totals } = stats;
  const progress = progressOf(value);
  return (
    <Page title={value.name} actions={<Link to="/campaigns">Back to campaigns</Link>}>
      <p>
        <StatusBadge status={value.status} />
        {value.pause_reason ? <span class="muted"> ({value.pause_reason.replace(/_/g, ' ')})</span> : null}{' '}
        <span class="muted">
          <span class={`live-dot${live ? ' on' : ''}`} aria-hidden="true" />
          {live ? 'Live' : 'Not live: reconnecting'}
        </span>
      </p>
      <div class="lifecycle" role="group" aria-label="Campaign actions">
        {LIFECYCLE_ACTIONS.map((action) => (
          <button key={action} type="button" class={action === 'cancel' ? 'danger' : action === 'start' ? 'primary' : undefined} disabled={!isLegal(value.status, action) || acting !== null} onClick={() => act(action)}>
            {acting === action ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
          </button>
        ))}
      </div>
      <ErrorNotice error={actionError} />
      <div class="campaign-progress" data-testid="campaign-progress">
        <ProgressBar value={progress.value} max={progress.max} label="Campaign progress" />
      </div>
      <dl class="stats" aria-label="Counts by state">
        <Stat label="Contacts" value={totals.contacts} />
        <Stat label="Pending" value={totals.pending} />
        <Stat label="In progress" value={totals.in_progress} />
        <Stat label="Retry scheduled" value={totals.retry_scheduled} />
        <Stat label="Answered" value={totals.completed} />
        <Stat label="Busy" value={totals.busy} />
        <Stat label="No answer" value={totals.no_answer} />
        <Stat label="Failed" value={totals.failed} />
        <Stat label="Skipped" value={totals.skipped.total} />
      </dl>
      <dl class="stats" aria-label="Activity">
        <Stat label="In flight" value={stats.in_flight} />
        <Stat label="Attempts" value={stats.attempts} />
        <Stat label="Answer rate" value={formatPercent(stats.answer_rate)} />
        <Stat label="Spent" value={formatMoney(stats.spent)} />
        <Stat label="ETA" value={stats.eta ? formatTime(stats.eta) : '—'} />
      </dl>
      <Settings campaign={value} />
      <h2>Contacts</h2>
      <div class="filters">
        <div class="field">
          <label for="contact-state">State</label>
          <select id="contact-state" value={state} onChange={(event) => setQuery({ state: (event.currentTarget as HTMLSelectElement).value, page: null })}>
            <option value="">Any</option>
            {CONTACT_STATES.map((name) => (
              <option key={name} value={name}>
                {name.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={contacts.error} />
      {contacts.value && contacts.value.data.length === 0 ? (
        <EmptyState title={state ? `No contacts are ${state.replace(/_/g, ' ')}.` : 'This campaign has no contacts.'}>
          {state ? <p>Choose another state, or Any.</p> : <p>Create a new campaign from a CSV with at least one valid number.</p>}
        </EmptyState>
      ) : null}
      {contacts.value && contacts.value.data.length > 0 ? (
        <>
          <DataTable headers={['Phone', 'State', 'Outcome', 'Attempts', 'Last call', 'Next retry']}>
            {contacts.value.data.map((contact) => {
              const last = contact.attempts[contact.attempts.length - 1];
              return (
                <tr key={contact.contact_id} data-testid="campaign-contact">
                  <td class="mono">{contact.phone}</td>
                  <td>
                    <StatusBadge status={contact.state} />
                    {contact.skip_reason ? <span class="muted"> {contact.skip_reason.replace(/_/g, ' ')}</span> : null}
                  </td>
                  <td>{contact.outcome ? contact.outcome.replace(/_/g, ' ') : '—'}</td>
                  <td>{contact.attempts.length}</td>
                  <td>{last ? <Link to={`/calls/${last.call_id}`}>Call {last.attempt}</Link> : '—'}</td>
                  <td>{formatTime(contact.retry_at)}</td>
                </tr>
              );
            })}
          </DataTable>
          <Pagination info={contacts.value.pagination} onPage={(next) => setQuery({ page: next })} label="Contact pages" />
        </>
      ) : null}
    </Page>
  );
}

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Settings({ campaign }: { campaign: Campaign }) {
  const { schedule } = campaign;
  return (
    <details class="panel">
      <summary>Settings</summary>
      <dl>
        <dt>Caller id</dt>
        <dd>{campaign.caller_id ?? 'The account default'}</dd>
        <dt>Attempts per number</dt>
        <dd>{campaign.max_attempts}</dd>
        <dt>Concurrent calls</dt>
        <dd>{campaign.concurrent_limit}</dd>
        <dt>Calling hours</dt>
        <dd>{schedule.calling_hours ? `${schedule.calling_hours.start}–${schedule.calling_hours.end}` : 'Any time'} ({schedule.timezone}, {schedule.days.join(', ')})</dd>
        <dt>Created</dt>
        <dd>{formatTime(campaign.created_at)}</dd>
      </dl>
    </details>
  );
}

/** Whether the live stream is connected, for the indicator beside the status. */
function useLiveConnection(): boolean {
  const [connected, setConnected] = useState(false);
  useEffect(() => liveEvents.onConnection(setConnected), []);
  return connected;
}
