import type { EventStore } from '../adapters/eventstore/port.ts';
import { AuditService } from '../commands/audit/audit-service.ts';
import { ComplianceService } from '../commands/audit/compliance-service.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { ValidationError } from '../domain/shared/errors.ts';
import type { AuditDependencies } from '../http/audit-dependencies.ts';

export type AuditFeatureOptions = {
  readonly store: EventStore;
  readonly clock: Clock;
  /** The accounts read model: the currency of an account whose wallet is still empty. */
  readonly accounts: { account(accountId: string): Promise<{ currency: string } | null> };
};

/** Billing audit, wired: the call audit and the point-in-time balance, read from the event log. */
export class AuditFeature {
  readonly service: AuditService;
  readonly compliance: ComplianceService;

  constructor(private readonly options: AuditFeatureOptions) {
    this.service = new AuditService(options.store);
    this.compliance = new ComplianceService(options.store);
  }

  http(): { audit: AuditDependencies } {
    return {
      audit: {
        callAudit: (tenantId, callId) => this.service.call(callId, tenantId),
        callDispute: async (tenantId, callId) => {
          // The audit first: it answers 404 for another tenant's call before the log is scanned.
          const audit = await this.service.call(callId, tenantId);
          const compliance = await this.compliance.call(callId);
          return { subject: { kind: 'call', audit, compliance }, generatedAt: this.options.clock.now().toISOString() };
        },
        balanceAt: async (tenantId, at) => {
          const now = this.options.clock.now();
          if (Date.parse(at) > now.getTime()) {
            throw new ValidationError('`at` is in the future; the balance is known up to now.', { issues: [{ path: 'at', message: 'must not be in the future' }], now: now.toISOString() });
          }
          const found = await this.service.balance(tenantId, at, { requireWallet: false });
          if (found.currency !== null) return found;
          const account = await this.options.accounts.account(tenantId);
          return { ...found, currency: account?.currency ?? null };
        },
      },
    };
  }
}
