import type { AccountAuditWithCalls } from '../commands/audit/audit-service.ts';
import type { DialledCall } from '../domain/audit/compliance.ts';
import type { CallAudit } from '../domain/audit/index.ts';
import { dncProofText, windowProofText } from './compliance-proof-text.ts';
import { minorToText } from './money-text.ts';

/**
 * The dispute report an operator sends a customer: for one call, or for every call of an account in
 * a period. HTML (one file, inline CSS, no scripts, no external assets), JSON or CSV. Every value
 * that came from the log is escaped.
 */
export type DisputeSubject =
  /** `compliance`: the call's do-not-call and calling-window proof at its CallDialing; null when it was never dialled. */
  | { kind: 'call'; audit: CallAudit; compliance?: DialledCall | null }
  | { kind: 'account'; account: AccountAuditWithCalls };

export type DisputeFormat = 'html' | 'json' | 'csv';

const audits = (subject: DisputeSubject): readonly CallAudit[] => (subject.kind === 'call' ? [subject.audit] : subject.account.audits);

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with a quote (plain numbers and E.164 stay). */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function disputeJson(subject: DisputeSubject, generatedAt: string): string {
  const body =
    subject.kind === 'call'
      ? { kind: 'call', generatedAt, call: subject.audit, ...(subject.compliance === undefined ? {} : { compliance: subject.compliance }) }
      : { kind: 'account', generatedAt, ...subject.account };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const CSV_HEADERS = [
  'call_id', 'verdict', 'destination', 'mode', 'requested_at', 'outcome', 'cause', 'cause_text', 'answered_at', 'ended_at', 'billable_ms',
  'plan_id', 'plan_version', 'rate_id', 'rate_per_minute_minor', 'increments', 'connection_fee_minor', 'billed_seconds',
  'recomputed_minor', 'ledger_minor', 'currency', 'differences',
];

export function disputeCsv(subject: DisputeSubject): string {
  const lines = [CSV_HEADERS.join(',')];
  for (const a of audits(subject)) {
    const r = a.rateInForce;
    lines.push(
      [
        a.callId, a.verdict, a.destination, a.mode, a.requestedAt, a.evidence.outcome, a.evidence.cause, a.evidence.causeText, a.evidence.answeredAt,
        a.evidence.endedAt, a.evidence.billableMs, r?.planId, r?.planVersion, r?.rate.rateId, r?.rate.ratePerMinuteMinor,
        r ? `${r.rate.initialIncrementSeconds}/${r.rate.subsequentIncrementSeconds}` : '', r?.rate.connectionFeeMinor, a.recomputed?.billedSeconds,
        a.recomputed?.amountMinor, a.ledger?.amountMinor, a.currency, a.differences.map((d) => d.field).join(' '),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

const STYLE = `
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2330;margin:0;background:#f4f5f7}
main{max-width:1100px;margin:0 auto;padding:28px 32px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:26px 0 8px;border-bottom:1px solid #dde1e7;padding-bottom:4px}
.muted{color:#5d6675;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e7e9ee;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.mono,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11.5px;word-break:break-all}
.verdict{display:inline-block;padding:3px 10px;border-radius:4px;font-weight:700;letter-spacing:.5px}
.MATCH{background:#dff3e4;color:#17652e}.MISMATCH{background:#fbe1e1;color:#9b1c1c}.PENDING,.NOT_BILLABLE{background:#eef0f3;color:#3d4552}
dl{display:grid;grid-template-columns:220px 1fr;gap:4px 12px;margin:0;font-size:13.5px}dt{color:#5d6675}dd{margin:0}
ol.steps{font-size:13.5px;margin:0;padding-left:22px}
.amount{font-size:20px;font-weight:700}
section.call{margin-top:30px;padding-top:6px;border-top:3px solid #1d2330}
@media print{body{background:#fff}main{padding:0}}
`;

function callSection(a: CallAudit, heading: 'h1' | 'h2'): string {
  const cur = a.currency;
  const money = (minor: number | null | undefined) => (minor === null || minor === undefined ? '—' : escapeHtml(minorToText(minor, cur)));
  const e = a.evidence;
  const r = a.rateInForce;
  const timeline = a.timeline
    .map(
      (t) =>
        `<tr><td class="mono">${escapeHtml(t.at)}</td><td>${escapeHtml(t.type)}</td><td>${escapeHtml(t.summary)}</td><td class="mono">${escapeHtml(t.actor)}</td>` +
        `<td class="mono">${escapeHtml(t.eventId)}</td><td class="mono">${escapeHtml(t.correlationId)}</td><td class="mono">${escapeHtml(t.causationId)}</td></tr>`,
    )
    .join('\n');
  const differences = a.differences.length
    ? `<h3>Differences</h3><table><thead><tr><th>Field</th><th>Recomputed</th><th>Ledger</th></tr></thead><tbody>${a.differences
        .map((d) => `<tr><td>${escapeHtml(d.field)}</td><td class="mono">${escapeHtml(JSON.stringify(d.recomputed))}</td><td class="mono">${escapeHtml(JSON.stringify(d.ledger))}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  return `
<${heading}>Call <span class="mono" data-field="call-id">${escapeHtml(a.callId)}</span></${heading}>
<p><span class="verdict ${escapeHtml(a.verdict)}" data-field="verdict">${escapeHtml(a.verdict)}</span> <span class="muted">${escapeHtml(a.reason)}</span></p>
<dl>
<dt>Destination</dt><dd>${escapeHtml(a.destination ?? '—')}</dd>
<dt>Placed</dt><dd>${escapeHtml(a.requestedAt ?? '—')} (${escapeHtml(a.mode ?? '?')} mode)</dd>
<dt>Charged (ledger)</dt><dd class="amount" data-field="ledger-amount">${a.ledger ? money(a.ledger.amountMinor) : 'no charge'}</dd>
<dt>Recomputed from the call's events</dt><dd data-field="recomputed-amount">${money(a.recomputed?.amountMinor)}</dd>
</dl>
<h2>Evidence from the telephone network</h2>
<dl>
<dt>Outcome</dt><dd>${escapeHtml(e.outcome ?? '—')}</dd>
<dt>Q.850 cause</dt><dd>${escapeHtml(e.cause ?? '—')} ${e.causeText ? `(${escapeHtml(e.causeText)})` : ''}</dd>
<dt>Answered</dt><dd>${escapeHtml(e.answeredAt ?? 'not answered')}</dd>
<dt>Hung up</dt><dd>${escapeHtml(e.endedAt ?? '—')}</dd>
<dt>Billable time (answer → hangup)</dt><dd>${e.billableMs === null ? '—' : `${escapeHtml(e.billableMs)} ms`}</dd>
${a.lostCall ? `<dt>Lost call: billing rule</dt><dd data-field="lost-call-rule">${escapeHtml(a.lostCall.billingRule)}: ${escapeHtml(a.lostCall.explanation)}</dd>` : ''}
</dl>
<h2>Rate in force when the call was placed</h2>
${
  r
    ? `<dl><dt>Plan</dt><dd>${escapeHtml(r.planName ?? '')} <span class="mono">${escapeHtml(r.planId)}</span>, version ${escapeHtml(r.planVersion)} (in force from ${escapeHtml(r.versionEffectiveFrom)})</dd>
<dt>Destination rate</dt><dd>${escapeHtml(r.rate.prefix)} ${escapeHtml(r.rate.description ?? '')}: ${money(r.rate.ratePerMinuteMinor)} per minute</dd>
<dt>Billing increments</dt><dd>${escapeHtml(r.rate.initialIncrementSeconds)}/${escapeHtml(r.rate.subsequentIncrementSeconds)} s, minimum ${escapeHtml(r.rate.minimumBillableSeconds)} s</dd>
<dt>Connection fee</dt><dd>${money(r.rate.connectionFeeMinor)}</dd></dl>`
    : '<p>No rate was in force for this destination.</p>'
}
<h2>The arithmetic (amounts in minor units)</h2>
${a.recomputed ? `<ol class="steps">${a.recomputed.steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>` : '<p>Nothing to compute.</p>'}
${differences}
<h2>Timeline (every recorded event)</h2>
<table data-field="timeline"><thead><tr><th>Time (UTC)</th><th>Event</th><th>Detail</th><th>Actor</th><th>Event id</th><th>Correlation</th><th>Causation</th></tr></thead>
<tbody>
${timeline}
</tbody></table>`;
}

/** Whether the call could lawfully be dialled when it was: the do-not-call state and the calling window at its CallDialing. */
function complianceSection(call: DialledCall | null): string {
  if (call === null) return '<h2>Compliance at the moment of dialling</h2>\n<p data-field="compliance">The call was never dialled.</p>';
  const verdict = call.blocked ? 'BLOCKED' : call.violations.length > 0 ? 'VIOLATION' : 'COMPLIANT';
  return `
<h2>Compliance at the moment of dialling</h2>
<p><span class="verdict ${verdict === 'COMPLIANT' ? 'MATCH' : verdict === 'BLOCKED' ? 'PENDING' : 'MISMATCH'}" data-field="compliance">${escapeHtml(verdict)}</span>
<span class="muted">${escapeHtml(call.violations.join('; ') || (call.blocked ? 'stopped by the dialer\'s do-not-call check before any originate' : 'not listed, and inside its calling window'))}</span></p>
<dl>
<dt>Dialled</dt><dd>${escapeHtml(call.dialingAt)} (CallDialing <span class="mono">${escapeHtml(call.dialingEventId)}</span>, log position <span class="mono">${escapeHtml(call.position.commit)}/${escapeHtml(call.position.prepare)}</span>)</dd>
<dt>Do-not-call lists at that position</dt><dd data-field="dnc-proof">${escapeHtml(dncProofText(call.dnc))}</dd>
<dt>Calling window</dt><dd data-field="window-proof">${escapeHtml(windowProofText(call.window))}</dd>
</dl>`;
}

export function disputeHtml(subject: DisputeSubject, generatedAt: string): string {
  let title: string;
  let body: string;
  if (subject.kind === 'call') {
    title = `Call ${subject.audit.callId}: billing report`;
    body = callSection(subject.audit, 'h1') + (subject.compliance === undefined ? '' : complianceSection(subject.compliance));
  } else {
    const acc = subject.account;
    const cur = acc.currency;
    title = `Account ${acc.accountId}: billing report`;
    const rows = acc.audits
      .map(
        (a) =>
          `<tr><td class="mono">${escapeHtml(a.callId)}</td><td>${escapeHtml(a.requestedAt ?? '')}</td><td>${escapeHtml(a.destination ?? '')}</td>` +
          `<td>${escapeHtml(a.evidence.outcome ?? '')}</td><td>${escapeHtml(a.recomputed?.billedSeconds ?? '')}</td>` +
          `<td>${a.ledger ? escapeHtml(minorToText(a.ledger.amountMinor, cur)) : '—'}</td><td><span class="verdict ${escapeHtml(a.verdict)}">${escapeHtml(a.verdict)}</span></td></tr>`,
      )
      .join('\n');
    body = `<h1>Account <span class="mono">${escapeHtml(acc.accountId)}</span></h1>
<p class="muted">Calls placed from ${escapeHtml(acc.from)} to ${escapeHtml(acc.to)}</p>
<dl><dt>Calls</dt><dd>${escapeHtml(acc.calls)}</dd>
<dt>Charged in the ledger</dt><dd class="amount">${escapeHtml(minorToText(acc.totals.ledgerMinor, cur))}</dd>
<dt>Recomputed</dt><dd>${escapeHtml(minorToText(acc.totals.recomputedMinor, cur))}</dd>
<dt>Mismatches</dt><dd>${escapeHtml(acc.mismatches.length)}</dd></dl>
<h2>Calls</h2><table><thead><tr><th>Call</th><th>Placed</th><th>To</th><th>Outcome</th><th>Billed s</th><th>Charged</th><th>Verdict</th></tr></thead><tbody>
${rows}
</tbody></table>
${acc.audits.map((a) => `<section class="call">${callSection(a, 'h2')}</section>`).join('\n')}`;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><main>
<p class="muted">calltrail billing report, generated ${escapeHtml(generatedAt)} from the event log. Every figure below is recomputed from the recorded events and can be checked by hand.</p>
${body}
<p class="muted" style="margin-top:30px">Rounding rule: ${escapeHtml(audits(subject)[0]?.recomputed ? 'billable milliseconds are rounded up to whole seconds, then to the rate\'s increments; the amount is rounded up to the next minor unit.' : '—')}</p>
</main></body></html>
`;
}

export function renderDispute(subject: DisputeSubject, format: DisputeFormat, generatedAt: string): string {
  if (format === 'html') return disputeHtml(subject, generatedAt);
  if (format === 'csv') return disputeCsv(subject);
  return disputeJson(subject, generatedAt);
}
