import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { TextField } from '../components/text-field.tsx';
import { Page } from '../components/page.tsx';
import { ReportSections, type Json } from '../components/report-view.tsx';
import { formatMinor } from '../format/values.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { FormActions } from './parts/form-actions.tsx';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { useSubmit } from './parts/use-submit.ts';
import '../operations.css';

/**
 * /operator/audit: `calltrail verify` (POST /api/v1/operator/verify: the log's hash chains) and
 * `calltrail audit account` (GET /api/v1/operator/accounts/:id/audit: every charge of a period
 * recomputed from the log), run from the page, each with a one-line verdict above the report.
 */
type Report = Record<string, Json>;
type Account = { id: string; name: string };

const field = (report: Report, ...names: string[]): Json | undefined => names.map((name) => report[name]).find((value) => value !== undefined);
const numberOf = (value: Json | undefined): number => (typeof value === 'number' ? value : 0);

/** POST /operator/verify answers `{verdict: ok|broken|incomplete|unsupported, events_checked, streams_checked, max_events, first_break}`. */
function verifyVerdict(report: Report): { ok: boolean; text: string } {
  const verdict = field(report, 'verdict');
  const checked = numberOf(field(report, 'events_checked', 'checked'));
  const streams = numberOf(field(report, 'streams_checked', 'streams'));
  if (verdict === 'ok' || field(report, 'ok') === true) return { ok: true, text: `Every hash link holds: ${checked} events in ${streams} streams checked.` };
  if (verdict === 'incomplete') return { ok: false, text: `Incomplete: stopped after ${checked} events (the bound is ${numberOf(field(report, 'max_events'))}); no broken link so far. Check one stream, or run \`calltrail verify\` for the whole log.` };
  if (verdict === 'unsupported') return { ok: false, text: 'This event store keeps no hash chain to verify.' };
  const broken = field(report, 'first_break', 'first_broken', 'firstBroken');
  const where = broken && typeof broken === 'object' && !Array.isArray(broken) ? ` at stream ${String(broken.stream)}, revision ${String(broken.revision)}: ${String(broken.reason)}` : '';
  return { ok: false, text: `BROKEN${where}. ${checked} events checked before it stopped.` };
}

function auditVerdict(report: Report): { ok: boolean; text: string } {
  const mismatches = field(report, 'mismatches');
  const count = Array.isArray(mismatches) ? mismatches.length : numberOf(field(report, 'mismatch_count'));
  const calls = numberOf(field(report, 'calls'));
  const totals = field(report, 'totals');
  const currency = field(report, 'currency');
  let difference = '';
  if (totals && typeof totals === 'object' && !Array.isArray(totals) && typeof currency === 'string') {
    const minor = field(totals, 'difference_minor', 'differenceMinor');
    if (typeof minor === 'number') difference = `, difference ${formatMinor(minor, currency)}`;
  }
  return count === 0 ? { ok: true, text: `No mismatch: ${calls} calls recomputed${difference}.` } : { ok: false, text: `${count} MISMATCH${count === 1 ? '' : 'ES'} in ${calls} calls${difference}.` };
}

function Verdict({ verdict }: { verdict: { ok: boolean; text: string } }) {
  return (
    <p class={`verdict ${verdict.ok ? 'verdict-good' : 'verdict-bad'}`} role="status" data-testid="verdict">
      {verdict.text}
    </p>
  );
}

function VerifyPanel() {
  const [stream, setStream] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const { error, busy, submit } = useSubmit(async () => {
    setReport(null);
    setReport(await api<Report>('/operator/verify', { method: 'POST', body: stream.trim() ? { stream: stream.trim() } : {} }));
  });
  const { issues } = fieldErrorsOf(error, []);
  return (
    <section class="panel" aria-labelledby="verify-title">
      <h2 id="verify-title">Verify the event log</h2>
      <form onSubmit={submit} noValidate>
        <TextField id="verify-stream" label="Stream (optional)" value={stream} onInput={setStream} error={issues.stream} hint="e.g. call-<uuid>; empty checks every stream." />
        <ErrorNotice error={error} />
        <FormActions busy={busy} submitLabel={busy ? 'Verifying…' : 'Run verify'} />
      </form>
      {report ? (
        <>
          <Verdict verdict={verifyVerdict(report)} />
          <ReportSections report={report} summaryTitle="Report" />
        </>
      ) : null}
    </section>
  );
}

const monthStart = (): string => `${new Date().toISOString().slice(0, 8)}01`;
const tomorrow = (): string => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

function AuditPanel() {
  const accounts = useResource((signal) => api<{ data: Account[] }>('/accounts', { signal }), []);
  const [accountId, setAccountId] = useState('');
  const [from, setFrom] = useState(monthStart);
  const [to, setTo] = useState(tomorrow);
  const [report, setReport] = useState<Report | null>(null);
  const { error, busy, submit } = useSubmit(async () => {
    setReport(null);
    setReport(await api<Report>(`/operator/accounts/${encodeURIComponent(accountId.trim())}/audit`, { query: { from, to } }));
  });
  const { issues } = fieldErrorsOf(error, []);
  return (
    <section class="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit an account</h2>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={accounts.error} />
        <div class="form-grid">
          <Field id="audit-account" label="Account" error={issues.account_id}>
            <select id="audit-account" value={accountId} onChange={(e) => setAccountId(e.currentTarget.value)} {...describedBy('audit-account', issues.account_id)}>
              <option value="">Choose a tenant</option>
              {(accounts.value?.data ?? []).map((account) => (
                <option key={account.id} value={account.id}>
                  {account.name} ({account.id.slice(0, 8)})
                </option>
              ))}
            </select>
          </Field>
          <TextField id="audit-from" label="From (inclusive)" value={from} onInput={setFrom} error={issues.from} type="date" />
          <TextField id="audit-to" label="To (exclusive)" value={to} onInput={setTo} error={issues.to} type="date" />
        </div>
        <ErrorNotice error={error} />
        <button type="submit" class="primary" disabled={busy || accountId === ''}>
          {busy ? 'Auditing…' : 'Run audit'}
        </button>
      </form>
      {report ? (
        <>
          <Verdict verdict={auditVerdict(report)} />
          <ReportSections report={report} summaryTitle="Period" skip={['audits']} />
          {Array.isArray(report.audits) ? <p class="muted">{report.audits.length} calls audited; each call's full audit is on the tenant's call page and in `calltrail audit call`.</p> : null}
        </>
      ) : null}
    </section>
  );
}

export function OperatorAuditPage(_props: PageProps) {
  return (
    <Page title="Verify and audit">
      <VerifyPanel />
      <AuditPanel />
    </Page>
  );
}
