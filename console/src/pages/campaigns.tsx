import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatTime } from '../format/values.ts';
import { useLiveEvents } from '../hooks/use-live-events.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';
import { progressOf } from './parts/campaign-state.ts';
import { useCoalescedRefetch } from './parts/coalesced-refetch.ts';
import { usePositioned } from './parts/read-your-writes.ts';
import type { Campaign, Paged } from './parts/types.ts';
import { DataTable } from './parts/data-table.tsx';
import './parts/pages.css';

const STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'];

/** The tenant's campaigns, newest first, with how far each has got (live); the filter lives in the address. */
export function CampaignsPage(_props: PageProps) {
  const { search } = useLocation();
  const page = Number(search.get('page') ?? '1') || 1;
  const status = search.get('status') ?? '';
  const positioned = usePositioned();
  const campaigns = useResource((signal) => api<Paged<Campaign>>('/campaigns', { signal, headers: positioned.headers(), query: { page, per_page: 25, status } }), [page, status]);
  // The shown campaigns' progress follows their live events, a burst costing one refetch at a time.
  const refetch = useCoalescedRefetch(async (position) => {
    positioned.remember(position);
    await campaigns.reload();
  });
  useLiveEvents(
    (event) => refetch(event.position),
    (event) => event.subject.kind === 'campaign',
  );

  return (
    <Page title="Campaigns" actions={<Link to="/campaigns/new" class="button primary">New campaign</Link>}>
      <div class="filters">
        <div class="field">
          <label for="campaign-status">Status</label>
          <select id="campaign-status" value={status} onChange={(event) => setQuery({ status: (event.currentTarget as HTMLSelectElement).value, page: null })}>
            <option value="">Any</option>
            {STATUSES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={campaigns.error} />
      {campaigns.value && campaigns.value.data.length === 0 ? (
        <EmptyState title={status ? `No ${status} campaigns.` : 'No campaigns yet.'}>
          <p>
            A campaign calls every number of a CSV with one recorded message. <Link to="/campaigns/new">Create one</Link> (upload the message in the{' '}
            <Link to="/audio">audio library</Link> first).
          </p>
        </EmptyState>
      ) : null}
      {campaigns.value && campaigns.value.data.length > 0 ? (
        <>
          <DataTable headers={['Name', 'Status', 'Progress', 'Contacts', 'Answered', 'Failed', 'Created']}>
            {campaigns.value.data.map((campaign) => {
              const { totals } = campaign.statistics;
              const progress = progressOf(campaign);
              return (
                <tr key={campaign.id}>
                  <td>
                    <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link>
                  </td>
                  <td>
                    <StatusBadge status={campaign.status} />
                  </td>
                  <td>
                    <ProgressBar value={progress.value} max={progress.max} label={`Progress of ${campaign.name}`} />
                  </td>
                  <td>{totals.contacts}</td>
                  <td>{totals.completed}</td>
                  <td>{totals.failed + totals.busy + totals.no_answer}</td>
                  <td>{formatTime(campaign.created_at)}</td>
                </tr>
              );
            })}
          </DataTable>
          <Pagination info={campaigns.value.pagination} onPage={(next) => setQuery({ page: next })} label="Campaign pages" />
        </>
      ) : null}
    </Page>
  );
}
