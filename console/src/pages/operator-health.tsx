import { api } from '../api/client.ts';
import { apiErrorOf } from '../api/errors.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Page } from '../components/page.tsx';
import { OkBadge, ReportSections, ReportValue, type Json } from '../components/report-view.tsx';
import { formatTime } from '../format/values.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import '../operations.css';

/**
 * /operator/health: GET /api/v1/operator/health (every Asterisk node, the event store, each
 * projection's lag behind the log) and the public readiness probe /health/ready, which answers
 * 503 with the same body when something fails — so its body is read whatever the status.
 */
type Ready = { status: string; failing: string[]; components: Record<string, Json> };

async function readiness(signal: AbortSignal): Promise<Ready> {
  const response = await fetch('/health/ready', { signal, headers: { Accept: 'application/json' } });
  if (response.status !== 200 && response.status !== 503) throw await apiErrorOf(response);
  return (await response.json()) as Ready;
}

export function OperatorHealthPage(_props: PageProps) {
  const health = useResource(async (signal) => ({ report: await api<Record<string, Json>>('/operator/health', { signal }), at: new Date().toISOString() }), []);
  const ready = useResource(readiness, []);
  const refresh = () => {
    void health.reload();
    void ready.reload();
  };

  return (
    <Page
      title="Health"
      actions={
        <button type="button" onClick={refresh} disabled={health.loading || ready.loading}>
          {health.loading || ready.loading ? 'Checking…' : 'Check again'}
        </button>
      }
    >
      <section class="panel" aria-labelledby="ready-title">
        <h2 id="ready-title">Readiness (/health/ready)</h2>
        <ErrorNotice error={ready.error} />
        {ready.value ? (
          <div class="report">
            <p>
              <OkBadge ok={ready.value.status === 'ready'} good="READY" bad="UNAVAILABLE" /> {ready.value.status}
              {ready.value.failing.length > 0 ? `: failing ${ready.value.failing.join(', ')}` : ''}
            </p>
            <ReportValue name="components" value={ready.value.components} />
          </div>
        ) : null}
      </section>
      <ErrorNotice error={health.error} />
      {health.value ? (
        <>
          <p class="muted">Checked {formatTime(health.value.at)}.</p>
          <ReportSections report={health.value.report} summaryTitle="Engine" />
        </>
      ) : health.loading ? (
        <p class="muted">Asking the engine…</p>
      ) : null}
    </Page>
  );
}
