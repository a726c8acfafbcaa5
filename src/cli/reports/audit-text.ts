import type { AccountAuditWithCalls } from '../../commands/audit/audit-service.ts';
import type { BalanceAt, CallAudit } from '../../domain/audit/index.ts';
import { minorToText } from '../../reports/money-text.ts';
import { table } from '../../reports/text-table.ts';

/** `audit call` as a person reads it: the verdict first, then the timeline, evidence, rate and arithmetic. */
export function callAuditText(audit: CallAudit): string {
  const cur = audit.currency;
  const out: string[] = [];
  out.push(`Call ${audit.callId}: ${audit.verdict}`);
  out.push(`  ${audit.reason}`);
  out.push(`  account ${audit.accountId ?? '?'}, to ${audit.destination ?? '?'}, ${audit.mode ?? '?'} mode, placed ${audit.requestedAt ?? '?'}, ${audit.status}`);
  out.push('', 'Timeline');
  out.push(
    table(
      ['time', 'event', 'actor', 'correlation', 'causation', 'detail'],
      audit.timeline.map((r) => [r.at, r.type, r.actor, r.correlationId, r.causationId, r.summary]),
    ),
  );
  const e = audit.evidence;
  out.push('Evidence from the PBX');
  out.push(`  outcome ${e.outcome ?? '-'}; cause ${e.cause ?? '-'} ${e.causeText ? `(${e.causeText})` : ''}`);
  out.push(`  answered ${e.answeredAt ?? '-'}; hung up ${e.endedAt ?? '-'}; billable ${e.billableMs ?? '-'} ms; attempt ${e.attempt ?? '-'}`);
  out.push('', 'Rate in force when the call was placed');
  const r = audit.rateInForce;
  if (r) {
    out.push(`  plan ${r.planName ?? ''} (${r.planId}) version ${r.planVersion}, in force from ${r.versionEffectiveFrom}; assigned from ${r.assignedFrom}`);
    out.push(
      `  rate ${r.rate.rateId} prefix ${r.rate.prefix}: ${minorToText(r.rate.ratePerMinuteMinor, cur)}/min, ${r.rate.initialIncrementSeconds}/${r.rate.subsequentIncrementSeconds}, ` +
        `connection fee ${minorToText(r.rate.connectionFeeMinor, cur)}, minimum ${r.rate.minimumBillableSeconds} s`,
    );
  } else out.push('  none');
  out.push('', 'Charge');
  if (audit.recomputed) for (const step of audit.recomputed.steps) out.push(`  ${step}`);
  out.push(`  recomputed: ${audit.recomputed ? minorToText(audit.recomputed.amountMinor, cur) : '-'}`);
  out.push(`  ledger:     ${audit.ledger ? `${minorToText(audit.ledger.amountMinor, cur)} (CallCharged ${audit.ledger.eventId} at ${audit.ledger.at})` : 'no charge'}`);
  if (audit.differences.length > 0) {
    out.push('', 'Differences');
    out.push(table(['field', 'recomputed', 'ledger'], audit.differences.map((d) => [d.field, JSON.stringify(d.recomputed), JSON.stringify(d.ledger)])));
  }
  return `${out.join('\n')}\n`;
}

export function accountAuditText(audit: AccountAuditWithCalls): string {
  const cur = audit.currency;
  const v = audit.verdicts;
  const lines = [
    `Account ${audit.accountId}, calls placed from ${audit.from} to ${audit.to}`,
    `  calls: ${audit.calls} (MATCH ${v.MATCH}, MISMATCH ${v.MISMATCH}, PENDING ${v.PENDING}, NOT_BILLABLE ${v.NOT_BILLABLE})`,
    `  charged in the ledger: ${minorToText(audit.totals.ledgerMinor, cur)}; recomputed: ${minorToText(audit.totals.recomputedMinor, cur)}; difference ${minorToText(audit.totals.differenceMinor, cur)}`,
    `  billed seconds (recomputed): ${audit.totals.billedSeconds}`,
  ];
  if (audit.mismatches.length === 0) lines.push('', 'No mismatches: every charge equals its recomputation.');
  else {
    lines.push('', `${audit.mismatches.length} MISMATCH${audit.mismatches.length === 1 ? '' : 'ES'}`);
    for (const m of audit.mismatches) {
      lines.push(`  ${m.callId}: ${m.reason}`);
      for (const d of m.differences) lines.push(`    ${d.field}: recomputed ${JSON.stringify(d.recomputed)}, ledger ${JSON.stringify(d.ledger)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function balanceText(b: BalanceAt): string {
  const cur = b.currency;
  const last = b.lastEvent ? `${b.lastEvent.type} at ${b.lastEvent.at}${b.lastEvent.callId ? ` (call ${b.lastEvent.callId})` : ''}` : 'none';
  return [
    `Account ${b.accountId} at ${b.at}`,
    `  balance:   ${minorToText(b.balanceMinor, cur)}`,
    `  reserved:  ${minorToText(b.reservedMinor, cur)}`,
    `  available: ${minorToText(b.availableMinor, cur)}`,
    `  ${b.eventsApplied} wallet events up to then; the last: ${last}`,
    '',
  ].join('\n');
}
