import type { Kysely } from 'kysely';
import type { EventStore } from '../adapters/eventstore/port.ts';
import { BillingService, type BillingOperator } from '../commands/billing/billing-service.ts';
import { prepaidReservation } from '../commands/billing/reservation-step.ts';
import type { PlacementStep } from '../commands/calls/placement.ts';
import type { RateEntry } from '../domain/billing/rating.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { NotFoundError } from '../domain/shared/errors.ts';
import type { GlobalPosition } from '../domain/shared/messages.ts';
import { parseMoney } from '../domain/shared/money.ts';
import type { BillingDependencies, OperatorContext } from '../http/billing-dependencies.ts';
import type { Logger } from '../http/dependencies.ts';
import type { BalanceInput } from '../http/views/billing.ts';
import { BillingQueries, type ChargeRecord } from '../projections/billing/queries.ts';
import { BillingReactor } from '../reactors/billing.ts';
import { daysOf, endOfRange, startOfRange, usageDayRange } from '../domain/billing/usage-days.ts';

export type BillingFeatureOptions = {
  readonly store: EventStore;
  readonly db: Kysely<any>;
  readonly clock: Clock;
  /** The accounts read model: each account's currency. */
  readonly accounts: { account(accountId: string): Promise<{ currency: string } | null> };
  /** Resolves once every read model includes `position`, so a write's answer shows the write. */
  readonly waitFor: (position: GlobalPosition | null) => Promise<void>;
  /** The operator key check (OPERATOR_API_KEY_HASH or a key issued by `calltrail init`). */
  readonly isOperatorKey: (token: string) => Promise<boolean>;
  readonly logger?: Logger;
};

/** The sandbox's plan: Pakistan, and a catch-all for the rest of the world. */
export const SANDBOX_RATES: RateEntry[] = [
  { rateId: 'pk', prefix: '+92', description: 'Pakistan', ratePerMinuteMinor: 200, initialIncrementSeconds: 60, subsequentIncrementSeconds: 60, connectionFeeMinor: 0, minimumBillableSeconds: 0 },
  { rateId: 'world', prefix: '+', description: 'Rest of the world', ratePerMinuteMinor: 5_000, initialIncrementSeconds: 60, subsequentIncrementSeconds: 60, connectionFeeMinor: 0, minimumBillableSeconds: 0 },
];
export const SANDBOX_OPENING_DEPOSIT_MINOR = 1_000_000;
export const SANDBOX_DEPOSIT_REFERENCE = 'sandbox opening deposit';

const operatorOf = (ctx: OperatorContext): BillingOperator => ({ actor: ctx.actor, correlationId: ctx.correlationId, causationId: ctx.requestId });

/**
 * Billing, wired: the wallet and rate plan service, the reservation step for PlaceCall, the
 * charging reactor, the billing read models and the HTTP side (balance, usage, top-ups, plans).
 */
export class BillingFeature {
  readonly service: BillingService;
  readonly queries: BillingQueries;
  readonly placement: PlacementStep;
  readonly reactor: BillingReactor;

  constructor(private readonly options: BillingFeatureOptions) {
    this.service = new BillingService(options.store, options.clock, options.accounts);
    this.queries = new BillingQueries(options.db);
    this.placement = prepaidReservation(this.service);
    this.reactor = new BillingReactor(options.db, options.store, this.service, options.clock, options.logger ? { logger: options.logger } : {});
  }

  start(): Promise<void> {
    return this.reactor.start();
  }

  stop(): Promise<void> {
    return this.reactor.stop();
  }

  /** The charge of a call, for GET /calls/:id; null while it has none. */
  chargeOf(tenantId: string, callId: string): Promise<ChargeRecord | null> {
    return this.queries.charge(tenantId, callId);
  }

  /**
   * First start of the sandbox: a rate plan for the demo account and an opening deposit. Both are
   * idempotent (an assigned plan is left alone; the deposit's reference is recorded once).
   */
  async setUpSandbox(accountId: string, currency: string): Promise<void> {
    const operator: BillingOperator = { actor: 'system:bootstrap', correlationId: crypto.randomUUID(), causationId: 'sandbox billing' };
    const wallet = await this.service.wallet(accountId);
    if (wallet.assignments.length === 0) {
      const plan = await this.service.createPlan(operator, { planId: null, name: 'Sandbox rates', currency, rates: SANDBOX_RATES });
      await this.service.assignPlan(operator, accountId, { planId: plan.planId, effectiveFrom: null });
    }
    const deposit = await this.service.deposit(operator, accountId, { amountMinor: SANDBOX_OPENING_DEPOSIT_MINOR, currency, reference: SANDBOX_DEPOSIT_REFERENCE });
    await this.options.waitFor(deposit.position);
  }

  http(): { billing: BillingDependencies } {
    const { service, queries } = this;
    const balance = async (accountId: string): Promise<BalanceInput> => {
      const account = await this.options.accounts.account(accountId);
      if (!account) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'No account with this id exists.', { account_id: accountId });
      const [row, plan] = await Promise.all([queries.balance(accountId), queries.planAt(accountId, this.options.clock.now().toISOString())]);
      return { accountId, currency: account.currency, balance: row, plan };
    };
    const after = async <T>(written: { position: GlobalPosition | null }, then: () => Promise<T>): Promise<T> => {
      await this.options.waitFor(written.position);
      return then();
    };
    const plan = async (planId: string) => {
      const found = await queries.ratePlan(planId);
      if (!found) throw new NotFoundError('RATE_PLAN_NOT_FOUND', 'No rate plan with this id exists.', { plan_id: planId });
      return found;
    };

    return {
      billing: {
        isOperator: this.options.isOperatorKey,
        balance,
        usage: async (tenantId, query) => {
          const account = await this.options.accounts.account(tenantId);
          if (!account) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'No account with this id exists.');
          return { ...(await queries.usage(tenantId, query)), currency: account.currency };
        },
        dailyUsage: async (tenantId, from, to) => {
          const range = usageDayRange(from, to, this.options.clock.now());
          const account = await this.options.accounts.account(tenantId);
          if (!account) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'No account with this id exists.');
          const found = new Map((await queries.dailyUsage(tenantId, startOfRange(range), endOfRange(range))).map((row) => [row.date, row]));
          const days = daysOf(range).map((date) => found.get(date) ?? { date, calls: 0, amountMinor: 0, billedSeconds: 0 });
          return { range, currency: account.currency, days };
        },
        purchase: async (ctx, input) => {
          const account = await this.options.accounts.account(input.accountId);
          if (!account) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'No account with this id exists.', { account_id: input.accountId });
          const amountMinor = input.amountMinor ?? parseMoney(input.amountDecimal ?? '', input.currency ?? account.currency).amountMinor;
          const written = await service.deposit(operatorOf(ctx), input.accountId, { amountMinor, currency: input.currency, reference: input.reference });
          return { recorded: written.recorded, balance: await after(written, () => balance(input.accountId)) };
        },
        adjust: async (ctx, accountId, input) => {
          const written = await service.adjust(operatorOf(ctx), accountId, input);
          return { adjustmentId: written.adjustmentId, balance: await after(written, () => balance(accountId)) };
        },
        setLowBalanceThreshold: async (ctx, accountId, thresholdMinor) =>
          after(await service.setLowBalanceThreshold(operatorOf(ctx), accountId, thresholdMinor), () => balance(accountId)),
        createRatePlan: async (ctx, input) => {
          const written = await service.createPlan(operatorOf(ctx), input);
          return after(written, () => plan(written.planId));
        },
        reviseRatePlan: async (ctx, planId, input) => after(await service.revisePlan(operatorOf(ctx), planId, input), () => plan(planId)),
        ratePlan: (planId) => queries.ratePlan(planId),
        ratePlans: () => queries.ratePlans(),
        assignRatePlan: async (ctx, accountId, input) => after(await service.assignPlan(operatorOf(ctx), accountId, input), () => balance(accountId)),
      },
    };
  }
}
