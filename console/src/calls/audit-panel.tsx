import { useState } from 'preact/hooks';
import { ErrorNotice } from '../components/error-notice.tsx';
import { formatMinor } from '../format/values.ts';
import type { CallAudit } from './detail-types.ts';
import { saveDownload } from './save-download.ts';

const VERDICT_TEXT: Record<CallAudit['verdict'], string> = {
  MATCH: 'Charge matches the recomputation',
  MISMATCH: 'Charge differs from the recomputation',
  NOT_BILLABLE: 'Not billable',
  PENDING: 'Pending',
};

/** The audit's verdict from the log alone, its own arithmetic, and the dispute report to hand a customer. */
export function AuditPanel({ callId, audit, error }: { callId: string; audit: CallAudit | undefined; error: unknown }) {
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setDownloadError(null);
    try {
      setSaved(await saveDownload(`/calls/${callId}/audit/report`, `dispute-${callId}.html`));
    } catch (failure) {
      setDownloadError(failure);
    } finally {
      setBusy(false);
    }
  };
  const currency = audit?.currency ?? audit?.ledger?.currency ?? '';
  return (
    <section class="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit</h2>
      <ErrorNotice error={error} />
      {audit ? (
        <>
          <p class={`verdict verdict-${audit.verdict}`} data-testid="audit-verdict">
            {audit.verdict.replace(/_/g, ' ')} — {VERDICT_TEXT[audit.verdict]}
          </p>
          <p>{audit.reason}</p>
          {audit.recomputed ? (
            <>
              <p>
                Recomputed: <strong>{formatMinor(audit.recomputed.amountMinor, currency)}</strong>
                {audit.ledger ? ` · in the ledger: ${formatMinor(audit.ledger.amountMinor, audit.ledger.currency)}` : ''}
                {audit.rateInForce ? ` · plan ${audit.rateInForce.planName ?? audit.rateInForce.planId} v${audit.rateInForce.planVersion}` : ''}
              </p>
              <ol class="steps" aria-label="The recomputation, step by step">
                {audit.recomputed.steps.map((step, index) => (
                  <li key={index}>{step}</li>
                ))}
              </ol>
            </>
          ) : null}
          {audit.differences.length > 0 ? (
            <ul aria-label="Differences">
              {audit.differences.map((difference) => (
                <li key={difference.field}>
                  {difference.field}: recomputed {String(difference.recomputed)}, ledger {String(difference.ledger)}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : error ? null : (
        <p class="muted">Auditing…</p>
      )}
      <div class="row-actions">
        <button type="button" onClick={download} disabled={busy}>
          {busy ? 'Preparing the report…' : 'Download dispute report'}
        </button>
        {saved ? <span role="status">Saved {saved}</span> : null}
      </div>
      <ErrorNotice error={downloadError} />
    </section>
  );
}
