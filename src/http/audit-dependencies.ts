import type { BalanceAt, CallAudit } from '../domain/audit/index.ts';
import type { DisputeSubject } from '../reports/dispute.ts';

/** The audit routes (src/http/routes/audit.ts): a call's audit and the balance at an instant, from the log. */
export interface AuditDependencies {
  /** Throws NotFoundError (404) when the call does not exist in this tenant. */
  callAudit(tenantId: string, callId: string): Promise<CallAudit>;
  /** `at` is a valid ISO instant; throws ValidationError (422) for one in the future. */
  balanceAt(tenantId: string, at: string): Promise<BalanceAt>;
  /**
   * What `calltrail export dispute <call>` reports: the call's audit and its compliance proof, as of
   * `generatedAt` (the engine's clock). Throws NotFoundError (404) like callAudit.
   */
  callDispute(tenantId: string, callId: string): Promise<{ subject: DisputeSubject & { kind: 'call' }; generatedAt: string }>;
}
