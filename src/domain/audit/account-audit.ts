import type { CallAudit, Difference, Verdict } from './call-audit.ts';

export type AccountAuditMismatch = { readonly callId: string; readonly reason: string; readonly differences: readonly Difference[] };

export type AccountAudit = {
  readonly accountId: string;
  readonly from: string;
  readonly to: string;
  readonly currency: string | null;
  readonly calls: number;
  readonly verdicts: Record<Verdict, number>;
  readonly totals: {
    /** Sum of the recomputed amounts of the calls that have a charge. */
    readonly recomputedMinor: number;
    /** Sum of the ledger's CallCharged amounts for the same calls. */
    readonly ledgerMinor: number;
    readonly differenceMinor: number;
    readonly billedSeconds: number;
  };
  readonly mismatches: readonly AccountAuditMismatch[];
};

/** Sums the audits of an account's calls in a period; every MISMATCH is listed. */
export function summariseAccount(accountId: string, from: string, to: string, audits: readonly CallAudit[]): AccountAudit {
  const verdicts: Record<Verdict, number> = { MATCH: 0, MISMATCH: 0, NOT_BILLABLE: 0, PENDING: 0 };
  let recomputedMinor = 0;
  let ledgerMinor = 0;
  let billedSeconds = 0;
  let currency: string | null = null;
  const mismatches: AccountAuditMismatch[] = [];
  for (const audit of audits) {
    verdicts[audit.verdict]++;
    currency ??= audit.currency;
    if (audit.ledger) {
      ledgerMinor += audit.ledger.amountMinor;
      recomputedMinor += audit.recomputed?.amountMinor ?? 0;
      billedSeconds += audit.recomputed?.billedSeconds ?? 0;
    }
    if (audit.verdict === 'MISMATCH') mismatches.push({ callId: audit.callId, reason: audit.reason, differences: audit.differences });
  }
  return {
    accountId,
    from,
    to,
    currency,
    calls: audits.length,
    verdicts,
    totals: { recomputedMinor, ledgerMinor, differenceMinor: ledgerMinor - recomputedMinor, billedSeconds },
    mismatches,
  };
}
