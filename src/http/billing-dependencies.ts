import type { RateEntry } from '../domain/billing/rating.ts';
import type { DayRange } from '../domain/billing/usage-days.ts';
import type { ChargeRecord, DailyUsageRow, RatePlanRecord, UsageQuery } from '../projections/billing/queries.ts';
import type { BalanceInput } from './views/billing.ts';

/** Who acts on an operator route: the operator key resolved, plus the request's ids. */
export type OperatorContext = { actor: string; correlationId: string; requestId: string };

export type PurchaseInput = {
  accountId: string;
  /** Exactly one of amountMinor and amountDecimal ("1500.00", read in the account's currency). */
  amountMinor: number | null;
  amountDecimal: string | null;
  currency: string | null;
  reference: string;
};

export type AdjustmentInput = { adjustmentId: string | null; amountMinor: number; currency: string | null; reason: string; callId: string | null };

export type RatePlanInput = { planId: string | null; name: string; currency: string; rates: RateEntry[] };

/** Money routes: the tenant's balance and usage, and the operator's top-ups, adjustments and rate plans. */
export interface BillingDependencies {
  /** True only for the operator's admin key (compared in constant time); may look the key up. */
  isOperator(token: string): boolean | Promise<boolean>;
  /** Throws NotFoundError for an unknown account. */
  balance(tenantId: string): Promise<BalanceInput>;
  usage(tenantId: string, query: UsageQuery): Promise<{ rows: ChargeRecord[]; total: number; currency: string; totals: { amountMinor: number; billedSeconds: number; billableMs: number } }>;
  /**
   * Charges per UTC day, every day of the range present (zeros included). `from`/`to` are dates as
   * given (null: the defaults, from the engine's clock); throws ValidationError or RANGE_TOO_LARGE.
   */
  dailyUsage(tenantId: string, from: string | null, to: string | null): Promise<{ range: DayRange; currency: string; days: DailyUsageRow[] }>;
  purchase(ctx: OperatorContext, input: PurchaseInput): Promise<{ recorded: boolean; balance: BalanceInput }>;
  adjust(ctx: OperatorContext, accountId: string, input: AdjustmentInput): Promise<{ adjustmentId: string; balance: BalanceInput }>;
  setLowBalanceThreshold(ctx: OperatorContext, accountId: string, thresholdMinor: number | null): Promise<BalanceInput>;
  createRatePlan(ctx: OperatorContext, input: RatePlanInput): Promise<RatePlanRecord>;
  reviseRatePlan(ctx: OperatorContext, planId: string, input: { rates: RateEntry[]; effectiveFrom: string | null }): Promise<RatePlanRecord>;
  /** Null when the plan does not exist. */
  ratePlan(planId: string): Promise<RatePlanRecord | null>;
  ratePlans(): Promise<Array<Omit<RatePlanRecord, 'versions'>>>;
  assignRatePlan(ctx: OperatorContext, accountId: string, input: { planId: string; effectiveFrom: string | null }): Promise<BalanceInput>;
}
