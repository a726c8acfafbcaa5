import type { BalanceAt, CallAudit } from '../domain/audit/index.ts';

/** The audit routes (src/http/routes/audit.ts): a call's audit and the balance at an instant, from the log. */
export interface AuditDependencies {
  /** Throws NotFoundError (404) when the call does not exist in this tenant. */
  callAudit(tenantId: string, callId: string): Promise<CallAudit>;
  /** `at` is a valid ISO instant; throws ValidationError (422) for one in the future. */
  balanceAt(tenantId: string, at: string): Promise<BalanceAt>;
}
