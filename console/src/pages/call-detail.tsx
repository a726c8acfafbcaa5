import '../calls/calls.css';
import { useRef } from 'preact/hooks';
import { api } from '../api/client.ts';
import { AuditPanel } from '../calls/audit-panel.tsx';
import { ChargePanel } from '../calls/charge-panel.tsx';
import type { CallAudit, CallDetail, RecordingView } from '../calls/detail-types.ts';
import { RecordingPlayer } from '../calls/recording-player.tsx';
import { Timeline } from '../calls/timeline.tsx';
import { isCallEvent } from '../calls/types.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Link } from '../components/link.tsx';
import { LiveIndicator } from '../components/live-indicator.tsx';
import { Page } from '../components/page.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatSeconds, formatTime } from '../format/values.ts';
import { positionHeader, useLiveRefresh } from '../hooks/use-live-refresh.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';

function CallFacts({ call }: { call: CallDetail }) {
  return (
    <section class="panel" aria-labelledby="facts-title">
      <h2 id="facts-title">Call</h2>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-testid="call-status">
          <StatusBadge status={call.status} />
          {call.failure_reason ? <span class="muted"> {call.failure_reason}</span> : null}
        </dd>
        <dt>To</dt>
        <dd>{call.phone_number}</dd>
        <dt>Caller id</dt>
        <dd>{call.from_number ?? '—'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(call.created_at)}</dd>
        {call.scheduled_for ? (
          <>
            <dt>Scheduled for</dt>
            <dd>{formatTime(call.scheduled_for)}</dd>
          </>
        ) : null}
        <dt>Answered</dt>
        <dd>{formatTime(call.answered_at)}</dd>
        <dt>Ended</dt>
        <dd>{formatTime(call.ended_at)}</dd>
        <dt>Billable</dt>
        <dd>{formatSeconds(call.duration_seconds)}</dd>
        <dt>Hang-up cause</dt>
        <dd>{call.hangup_cause ? `${call.hangup_cause.code ?? '—'} ${call.hangup_cause.text ?? ''}` : '—'}</dd>
        <dt>Campaign</dt>
        <dd class="mono">{call.campaign_id ? <Link to={`/campaigns/${call.campaign_id}`}>{call.campaign_id}</Link> : '—'}</dd>
        <dt>Mode</dt>
        <dd>{call.mode}</dd>
        <dt>Id</dt>
        <dd class="mono">{call.id}</dd>
      </dl>
    </section>
  );
}

function Recordings({ recordings, error }: { recordings: RecordingView[] | undefined; error: unknown }) {
  return (
    <section class="panel" aria-labelledby="recordings-title">
      <h2 id="recordings-title">Recording</h2>
      <ErrorNotice error={error} />
      {recordings === undefined ? null : recordings.length === 0 ? (
        <p class="muted">No recording. Place a call with "Record the call" ticked to keep one.</p>
      ) : (
        recordings.map((recording) => <RecordingPlayer key={recording.name} recording={recording} />)
      )}
    </section>
  );
}

export function CallDetailPage({ params }: PageProps) {
  const id = params.id ?? '';
  const position = useRef<string | null>(null);
  const call = useResource((signal) => api<CallDetail>(`/calls/${id}`, { signal, headers: positionHeader(position.current) }), [id]);
  const audit = useResource((signal) => api<CallAudit>(`/calls/${id}/audit`, { signal }), [id]);
  const recordings = useResource((signal) => api<{ data: RecordingView[] }>(`/calls/${id}/recordings`, { signal, headers: positionHeader(position.current) }), [id]);

  useLiveRefresh(
    async (event) => {
      position.current = event.position;
      // The call first: the audit reads the log and the recordings the read model the call waited for.
      await call.reload();
      await Promise.all([audit.reload(), recordings.reload()]);
    },
    (event) => isCallEvent(event, id),
  );

  const found = call.value;
  return (
    <Page title={found ? `Call to ${found.phone_number}` : 'Call'} actions={<LiveIndicator />}>
      <p>
        <Link to="/calls">← All calls</Link>
      </p>
      <ErrorNotice error={call.error} />
      {found ? (
        <>
          <div class="detail-grid">
            <CallFacts call={found} />
            <ChargePanel charge={found.charge} />
            <AuditPanel callId={id} audit={audit.value} error={audit.error} />
            <Recordings recordings={recordings.value?.data} error={recordings.error} />
          </div>
          <h2>Timeline</h2>
          <Timeline entries={found.timeline} />
        </>
      ) : call.error ? null : (
        <p class="muted">Loading the call…</p>
      )}
    </Page>
  );
}
