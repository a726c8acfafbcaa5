import type { AccountAuditWithCalls } from '../commands/audit/audit-service.ts';
import type { GlobalPosition } from '../domain/shared/messages.ts';
import type { ComponentHealth } from './dependencies.ts';

/** One consumer of the log: where it stands, and how far behind the head. */
export type ConsumerLag = {
  name: string;
  kind: 'projection' | 'reactor';
  /** Null before it applied anything. */
  position: GlobalPosition | null;
  /** Events between its position and the head, counted up to `LAG_COUNT_CAP` (`capped` then). */
  behind: number;
  capped: boolean;
};

export type OperatorHealth = {
  ok: boolean;
  database: ComponentHealth;
  eventStore: ComponentHealth & { head: GlobalPosition | null };
  telephony: Array<{ name: string } & ComponentHealth>;
  consumers: ConsumerLag[];
};

export type VerifyOutcome = {
  verdict: 'ok' | 'broken' | 'incomplete' | 'unsupported';
  checked: number;
  streams: number;
  /** The bound that stopped an `incomplete` run. */
  limit: number;
  firstBroken: { stream: string; revision: string; position: GlobalPosition | null; reason: string } | null;
};

/** The console's operator pages (src/http/routes/operator.ts); every route takes the operator key. */
export interface OperatorDependencies {
  isOperator(token: string): boolean | Promise<boolean>;
  health(): Promise<OperatorHealth>;
  /**
   * `calltrail verify`: one stream's chain, or every stream's until `maxEvents` links were checked
   * (then `incomplete`). Throws DomainError VERIFY_RUNNING (409) while another run is under way.
   */
  verify(options: { stream: string | null; maxEvents: number }): Promise<VerifyOutcome>;
  /** `calltrail audit account`; throws NotFoundError ACCOUNT_NOT_FOUND for an unknown account. */
  accountAudit(accountId: string, from: string, to: string): Promise<AccountAuditWithCalls>;
}
