import type { EventStore } from '../../adapters/eventstore/port.ts';
import {
  assignmentAt,
  findRate,
  planVersionAt,
  RATE_PLAN_SCHEMA_VERSION,
  ratePlanDecider,
  ratePlanEventSchemas,
  reservationFor,
  WALLET_SCHEMA_VERSION,
  walletDecider,
  walletEventSchemas,
  type AppliedRate,
  type ChargeEvidence,
  type RateEntry,
  type RatePlanCommand,
  type RatePlanEvent,
  type RatePlanState,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '../../domain/billing/index.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { CurrencyMismatchError, assertCurrency } from '../../domain/shared/money.ts';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { ratePlanStream, walletStream } from '../../domain/shared/streams.ts';
import type { CommandContext } from '../decider.ts';
import { zodCodec } from '../zod-codec.ts';
import { CachedAggregate } from './cached-aggregate.ts';
import type { z } from 'zod';

export type Applied = z.infer<typeof AppliedRate>;
export type Evidence = z.infer<typeof ChargeEvidence>;

/** Who acts for the operator (top-ups, plans, adjustments); becomes the events' actor and ids. */
export type BillingOperator = { readonly actor: string; readonly correlationId: string; readonly causationId: string };

/** What billing needs to know about accounts: their currency (from the accounts read model). */
export interface BillingAccounts {
  account(accountId: string): Promise<{ currency: string } | null>;
}

export type Written = { readonly position: GlobalPosition | null };

/** How old a cached wallet or plan may be for pricing a call (see recentWallet). */
const PRICING_STATE_MAX_AGE_MS = 1_000;

/**
 * Billing's use cases: operator top-ups, adjustments and rate plans; the hold before a call is
 * dialled; and the charge when it ends. Every one is a command on the wallet or plan stream.
 */
export class BillingService {
  readonly wallets: CachedAggregate<WalletState, WalletCommand, WalletEvent>;
  readonly plans: CachedAggregate<RatePlanState, RatePlanCommand, RatePlanEvent>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
    private readonly accounts: BillingAccounts,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    this.wallets = new CachedAggregate<WalletState, WalletCommand, WalletEvent>(store, walletDecider, zodCodec<WalletEvent>(walletEventSchemas, WALLET_SCHEMA_VERSION));
    this.plans = new CachedAggregate<RatePlanState, RatePlanCommand, RatePlanEvent>(store, ratePlanDecider, zodCodec<RatePlanEvent>(ratePlanEventSchemas, RATE_PLAN_SCHEMA_VERSION));
  }

  async wallet(accountId: string): Promise<WalletState> {
    return (await this.wallets.load(walletStream(accountId))).state;
  }

  async plan(planId: string): Promise<RatePlanState> {
    return (await this.plans.load(ratePlanStream(planId))).state;
  }

  /**
   * The wallet as this process saw it at most PRICING_STATE_MAX_AGE_MS ago, without queueing
   * behind the stream's commands: for what a placement prices with (the currency, the plan assigned).
   * Those change rarely and never with effect in the past; the balance itself is always decided on
   * the fresh state, inside the queue.
   */
  async recentWallet(accountId: string): Promise<WalletState> {
    return this.wallets.peek(walletStream(accountId), PRICING_STATE_MAX_AGE_MS)?.state ?? (await this.wallet(accountId));
  }

  private async recentPlan(planId: string): Promise<RatePlanState> {
    return this.plans.peek(ratePlanStream(planId), PRICING_STATE_MAX_AGE_MS)?.state ?? (await this.plan(planId));
  }

  // --- operator -------------------------------------------------------------------------------

  async deposit(operator: BillingOperator, accountId: string, input: { amountMinor: number; currency: string | null; reference: string }): Promise<Written & { recorded: boolean }> {
    const now = this.clock.now();
    const currency = await this.currencyOf(accountId, input.currency);
    const result = await this.wallets.handle(
      walletStream(accountId),
      { type: 'DepositFunds', data: { accountId, currency, at: now.toISOString(), depositId: this.newId(), amountMinor: input.amountMinor, reference: input.reference } },
      this.operatorContext(operator, accountId, now),
    );
    return { position: result.position, recorded: result.appended.length > 0 };
  }

  async adjust(
    operator: BillingOperator,
    accountId: string,
    input: { adjustmentId: string | null; amountMinor: number; currency: string | null; reason: string; callId: string | null },
  ): Promise<Written & { adjustmentId: string }> {
    const now = this.clock.now();
    const currency = await this.currencyOf(accountId, input.currency);
    const adjustmentId = input.adjustmentId ?? this.newId();
    const result = await this.wallets.handle(
      walletStream(accountId),
      { type: 'AdjustCredit', data: { accountId, currency, at: now.toISOString(), adjustmentId, amountMinor: input.amountMinor, reason: input.reason, callId: input.callId } },
      this.operatorContext(operator, accountId, now),
    );
    return { position: result.position, adjustmentId };
  }

  async setLowBalanceThreshold(operator: BillingOperator, accountId: string, thresholdMinor: number | null): Promise<Written> {
    const now = this.clock.now();
    const currency = await this.currencyOf(accountId, null);
    const result = await this.wallets.handle(
      walletStream(accountId),
      { type: 'SetLowBalanceThreshold', data: { accountId, currency, at: now.toISOString(), thresholdMinor } },
      this.operatorContext(operator, accountId, now),
    );
    return { position: result.position };
  }

  async createPlan(operator: BillingOperator, input: { planId: string | null; name: string; currency: string; rates: RateEntry[] }): Promise<Written & { planId: string }> {
    assertCurrency(input.currency);
    const now = this.clock.now();
    const planId = input.planId ?? this.newId();
    const result = await this.plans.handle(
      ratePlanStream(planId),
      { type: 'CreateRatePlan', data: { planId, name: input.name, currency: input.currency, rates: input.rates, at: now.toISOString() } },
      this.operatorContext(operator, `operator`, now),
    );
    return { position: result.position, planId };
  }

  async revisePlan(operator: BillingOperator, planId: string, input: { rates: RateEntry[]; effectiveFrom: string | null }): Promise<Written> {
    const now = this.clock.now();
    const result = await this.plans.handle(
      ratePlanStream(planId),
      { type: 'ReviseRatePlan', data: { planId, rates: input.rates, effectiveFrom: input.effectiveFrom, at: now.toISOString() } },
      this.operatorContext(operator, 'operator', now),
    );
    return { position: result.position };
  }

  async assignPlan(operator: BillingOperator, accountId: string, input: { planId: string; effectiveFrom: string | null }): Promise<Written> {
    const now = this.clock.now();
    const currency = await this.currencyOf(accountId, null);
    const plan = await this.plan(input.planId);
    if (plan.status !== 'Active') throw new NotFoundError('RATE_PLAN_NOT_FOUND', `Rate plan ${input.planId} does not exist.`, { plan_id: input.planId });
    if (plan.currency !== currency) throw new CurrencyMismatchError(currency, plan.currency);
    const result = await this.wallets.handle(
      walletStream(accountId),
      { type: 'AssignRatePlan', data: { accountId, currency, at: now.toISOString(), planId: input.planId, effectiveFrom: input.effectiveFrom } },
      this.operatorContext(operator, accountId, now),
    );
    return { position: result.position };
  }

  // --- calls ----------------------------------------------------------------------------------

  /** The plan version and rate that apply to a call to `destination` placed at `at`. */
  async rateFor(accountId: string, wallet: WalletState, destination: string, at: string): Promise<Applied> {
    const assignment = assignmentAt(wallet, at);
    if (!assignment) {
      throw new DomainError('NO_RATE_PLAN', 'No rate plan is assigned to this account yet, so calls cannot be priced. Ask your operator to assign one.', {
        account_id: accountId,
      });
    }
    const plan = await this.recentPlan(assignment.planId);
    const version = planVersionAt(plan, at);
    const rate = version ? findRate(version.rates, destination) : null;
    if (!version || !rate) {
      throw new DomainError('NO_RATE_FOR_DESTINATION', `Your rate plan has no rate for ${destination}, so this call cannot be priced.`, {
        destination,
        plan_id: assignment.planId,
      });
    }
    return { planId: assignment.planId, planVersion: version.version, rate };
  }

  /**
   * Holds enough for a call of `maxDurationSeconds` at its destination's rate. Decided on the wallet
   * stream under its expected revision, so concurrent placements can never hold more than the balance.
   */
  async reserve(call: { callId: string; tenantId: string; to: string; maxDurationSeconds: number; actor: string; correlationId: string; now: Date }): Promise<Written> {
    const accountId = call.tenantId;
    const at = call.now.toISOString();
    const wallet = await this.recentWallet(accountId);
    const currency = wallet.currency ?? (await this.currencyOf(accountId, null));
    const applied = await this.rateFor(accountId, wallet, call.to, at);
    const amountMinor = reservationFor(applied.rate, call.maxDurationSeconds);
    const result = await this.wallets.handle(
      walletStream(accountId),
      {
        type: 'ReserveFunds',
        data: { accountId, currency, at, callId: call.callId, amountMinor, destination: call.to, applied, maxDurationSeconds: call.maxDurationSeconds },
      },
      { now: call.now, tenantId: accountId, actor: call.actor, correlationId: call.correlationId, causationId: call.correlationId },
    );
    return { position: result.position };
  }

  async release(context: CommandContext, accountId: string, callId: string, reason: string): Promise<Written> {
    const wallet = await this.wallet(accountId);
    if (!wallet.currency || !wallet.reservations.has(callId)) return { position: null };
    const result = await this.wallets.handle(
      walletStream(accountId),
      { type: 'ReleaseReservation', data: { accountId, currency: wallet.currency, at: context.now.toISOString(), callId, reason } },
      context,
    );
    return { position: result.position };
  }

  /** Charges a call that ended; a second charge for the same call id decides nothing. */
  async charge(
    context: CommandContext,
    accountId: string,
    call: { callId: string; destination: string; applied: Applied; evidence: Evidence; currency: string },
  ): Promise<Written & { charged: boolean }> {
    const result = await this.wallets.handle(
      walletStream(accountId),
      {
        type: 'ChargeCall',
        data: { accountId, currency: call.currency, at: context.now.toISOString(), callId: call.callId, destination: call.destination, applied: call.applied, evidence: call.evidence },
      },
      context,
    );
    return { position: result.position, charged: result.appended.some((event) => event.type === 'CallCharged') };
  }

  private async currencyOf(accountId: string, stated: string | null): Promise<string> {
    const account = await this.accounts.account(accountId);
    if (!account) throw new NotFoundError('ACCOUNT_NOT_FOUND', `Account ${accountId} does not exist.`, { account_id: accountId });
    if (stated !== null && stated !== account.currency) throw new CurrencyMismatchError(account.currency, stated);
    return account.currency;
  }

  private operatorContext(operator: BillingOperator, tenantId: string, now: Date): CommandContext {
    return { now, tenantId, actor: operator.actor, correlationId: operator.correlationId, causationId: operator.causationId };
  }
}
