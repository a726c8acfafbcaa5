import type { z } from 'zod';
import { evolveRatePlan, initialRatePlanState, planVersionAt, type RatePlanState } from '../billing/rate-plan.ts';
import { findRate, rateCall, type BillableAttempt, type RateEntry } from '../billing/rating.ts';
import { availableMinor, evolveWallet, initialWalletState, type WalletState } from '../billing/wallet.ts';
import type { CallCharged } from '../billing/wallet-events.ts';
import { BLOCKED_CAUSE_TEXT } from '../call/events.ts';
import { lostCallBillingSentence, type LostCallData } from './lost-call.ts';
import { timelineRow, type AuditInputEvent, type TimelineRow } from './timeline.ts';

/**
 * The audit of one call, from the log alone: its events, the PBX's evidence, the rate plan and rate
 * in force when it was placed (found by replaying the plan's stream and the wallet's assignments),
 * and the charge recomputed with `rateCall` beside the CallCharged in the ledger. Pure: the caller
 * loads the streams; nothing here reads a clock or a store.
 */

type Charged = z.infer<typeof CallCharged>;

export type { AuditInputEvent, TimelineRow } from './timeline.ts';

export type Verdict =
  /** The ledger's charge equals the one recomputed from the call's events. */
  | 'MATCH'
  /** They differ; `differences` names every field. */
  | 'MISMATCH'
  /** A test-mode call: billing never charges it, and no charge was found. */
  | 'NOT_BILLABLE'
  /** The call has not ended, or it ended and its charge is not recorded yet. */
  | 'PENDING';

export type Evidence = {
  readonly outcome: string | null;
  readonly cause: number | null;
  readonly causeText: string | null;
  readonly answeredAt: string | null;
  readonly endedAt: string | null;
  readonly billableMs: number | null;
  readonly attempt: BillableAttempt | null;
  readonly terminalEventId: string | null;
  readonly terminalEventType: string | null;
};

export type RateInForce = {
  readonly planId: string;
  readonly planName: string | null;
  readonly planVersion: number;
  readonly versionEffectiveFrom: string;
  readonly assignedFrom: string;
  readonly rate: RateEntry;
} | null;

export type Recomputed = {
  readonly billableMs: number;
  readonly billableSeconds: number;
  readonly minimumAppliedSeconds: number;
  readonly billedSeconds: number;
  readonly subsequentIncrements: number;
  readonly ratePerMinuteMinor: number;
  readonly durationChargeMinor: number;
  readonly connectionFeeMinor: number;
  readonly ratedAmountMinor: number;
  /** What the wallet could cover at the moment of the charge (hold + available), replayed from the ledger. */
  readonly coverableMinor: number | null;
  /** The amount the wallet should have taken: min(rated, coverable). */
  readonly amountMinor: number;
  /** The arithmetic, one line per step, for a person to check. */
  readonly steps: readonly string[];
};

export type LedgerCharge = {
  readonly eventId: string;
  readonly at: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly planId: string;
  readonly planVersion: number;
  readonly rateId: string;
  readonly billableMs: number;
  readonly billedSeconds: number;
  readonly ratedAmountMinor: number;
  readonly uncollectedMinor: number;
  readonly terminalEventId: string;
};

export type Difference = { readonly field: string; readonly recomputed: unknown; readonly ledger: unknown };

export type CallAudit = {
  readonly callId: string;
  readonly accountId: string | null;
  readonly destination: string | null;
  readonly mode: 'live' | 'test' | null;
  readonly requestedAt: string | null;
  readonly status: 'ended' | 'in_progress' | 'unknown';
  readonly currency: string | null;
  readonly timeline: readonly TimelineRow[];
  readonly evidence: Evidence;
  readonly rateInForce: RateInForce;
  /** The rate the charge names, when it names another than the one found in force. */
  readonly recomputed: Recomputed | null;
  readonly ledger: LedgerCharge | null;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly differences: readonly Difference[];
  /** For a call whose end the PBX never reported: the billing rule applied, in the log's own words. */
  readonly lostCall: LostCallAudit | null;
};

export type LostCallAudit = {
  readonly billingRule: LostCallData['billingRule'];
  readonly lastSeenAt: string | null;
  readonly detectedAt: string;
  readonly billableUntil: string | null;
  readonly explanation: string;
};

export type CallAuditInput = {
  readonly callId: string;
  /** The call's stream, oldest first, decoded. */
  readonly callEvents: readonly AuditInputEvent[];
  /** The account's wallet stream, oldest first, decoded. */
  readonly walletEvents: readonly AuditInputEvent[];
  /** Each plan's stream by plan id (every plan the wallet ever assigned), decoded. */
  readonly planEvents: ReadonlyMap<string, readonly AuditInputEvent[]>;
};

const dataOf = <T>(event: AuditInputEvent | undefined): T | undefined => event?.data as T | undefined;

type Terminal = { type: 'CallCompleted' | 'CallFailed' | 'CallLost' | 'CallBlocked'; data: Record<string, unknown>; eventId: string };

const TERMINAL_TYPES: ReadonlySet<string> = new Set(['CallCompleted', 'CallFailed', 'CallLost', 'CallBlocked']);

function evidenceOf(terminal: Terminal | null, answeredAt: string | null): Evidence {
  if (!terminal) {
    return { outcome: null, cause: null, causeText: null, answeredAt, endedAt: null, billableMs: null, attempt: null, terminalEventId: null, terminalEventType: null };
  }
  const d = terminal.data;
  if (terminal.type === 'CallLost') {
    return {
      outcome: 'LOST',
      cause: null,
      causeText: String(d.reason),
      answeredAt: String(d.answeredAt),
      endedAt: String(d.detectedAt),
      billableMs: Number(d.billableMs),
      attempt: d.billingRule === 'not_billed' ? 'waived' : 'answered',
      terminalEventId: terminal.eventId,
      terminalEventType: terminal.type,
    };
  }
  if (terminal.type === 'CallBlocked') {
    return {
      outcome: 'BLOCKED',
      cause: null,
      causeText: BLOCKED_CAUSE_TEXT,
      answeredAt: null,
      endedAt: String(d.blockedAt),
      billableMs: 0,
      attempt: 'not_dialled',
      terminalEventId: terminal.eventId,
      terminalEventType: terminal.type,
    };
  }
  const completed = terminal.type === 'CallCompleted';
  const cause = (d.cause as number | null) ?? null;
  return {
    outcome: completed ? 'COMPLETED' : String(d.outcome),
    cause,
    causeText: String(d.causeText ?? ''),
    answeredAt: completed ? String(d.answeredAt) : answeredAt,
    endedAt: String(d.endedAt),
    billableMs: completed ? Number(d.billableMs) : 0,
    // The same rule the charge follows: a failure with a Q.850 cause reached a carrier, one without never did.
    attempt: completed ? 'answered' : cause === null ? 'not_dialled' : 'unanswered',
    terminalEventId: terminal.eventId,
    terminalEventType: terminal.type,
  };
}

/** The plan and rate in force for `destination` at `at`, replaying the wallet's assignments and the plan's versions. */
export function rateInForceAt(
  walletEvents: readonly AuditInputEvent[],
  planEvents: ReadonlyMap<string, readonly AuditInputEvent[]>,
  destination: string,
  at: string,
): RateInForce {
  const when = Date.parse(at);
  let assigned: { planId: string; effectiveFrom: string } | null = null;
  for (const event of walletEvents) {
    if (event.type !== 'RatePlanAssigned') continue;
    if (Date.parse(event.metadata.occurredAt) > when) continue; // not yet decided at the call's time
    const d = event.data as { planId: string; effectiveFrom: string };
    if (Date.parse(d.effectiveFrom) <= when) assigned = { planId: d.planId, effectiveFrom: d.effectiveFrom };
  }
  if (!assigned) return null;
  let plan: RatePlanState = initialRatePlanState();
  for (const event of planEvents.get(assigned.planId) ?? []) {
    if (Date.parse(event.metadata.occurredAt) > when) continue;
    plan = evolveRatePlan(plan, event);
  }
  const version = planVersionAt(plan, at);
  const rate = version ? findRate(version.rates, destination) : null;
  if (!version || !rate || plan.status !== 'Active') return null;
  return { planId: assigned.planId, planName: plan.name, planVersion: version.version, versionEffectiveFrom: version.effectiveFrom, assignedFrom: assigned.effectiveFrom, rate };
}

function ledgerOf(event: AuditInputEvent): LedgerCharge {
  const d = event.data as Charged;
  return {
    eventId: event.metadata.eventId,
    at: event.metadata.occurredAt,
    amountMinor: d.amount.amountMinor,
    currency: d.amount.currency,
    planId: d.applied.planId,
    planVersion: d.applied.planVersion,
    rateId: d.applied.rate.rateId,
    billableMs: d.computation.billableMs,
    billedSeconds: d.computation.billedSeconds,
    ratedAmountMinor: d.computation.ratedAmountMinor,
    uncollectedMinor: d.computation.uncollectedMinor,
    terminalEventId: d.evidence.terminalEventId,
  };
}

function recompute(rate: RateEntry, evidence: Evidence, coverableMinor: number | null, lost: LostCallData | null): Recomputed {
  const rated = rateCall(rate, evidence.billableMs ?? 0, evidence.attempt ?? 'not_dialled');
  const amountMinor = coverableMinor === null ? rated.amountMinor : Math.max(0, Math.min(rated.amountMinor, coverableMinor));
  const steps = [
    ...(lost ? [`lost call: ${lostCallBillingSentence(lost)}`] : []),
    `attempt: ${rated.attempt}${rated.attempt === 'answered' ? '' : rated.attempt === 'waived' ? ' (waived by the operator\'s rule: nothing billed)' : ' (no talk time billed)'}`,
    `billable time: ${rated.billableMs} ms → ${rated.billableSeconds} s (rounded up to whole seconds)`,
    `minimum billable: max(${rated.billableSeconds} s, ${rate.minimumBillableSeconds} s) = ${rated.minimumAppliedSeconds} s`,
    `increments ${rate.initialIncrementSeconds}/${rate.subsequentIncrementSeconds}: ${rated.billedSeconds} s billed (${rated.subsequentIncrements} subsequent increments)`,
    `duration charge: ceil(${rate.ratePerMinuteMinor} × ${rated.billedSeconds} / 60) = ${rated.durationChargeMinor}`,
    `connection fee: ${rated.connectionFeeMinor}`,
    `rated amount: ${rated.durationChargeMinor} + ${rated.connectionFeeMinor} = ${rated.amountMinor}`,
  ];
  if (coverableMinor !== null && amountMinor !== rated.amountMinor) {
    steps.push(`the wallet could cover ${coverableMinor}: charged ${amountMinor}, uncollected ${rated.amountMinor - amountMinor}`);
  }
  return {
    billableMs: rated.billableMs,
    billableSeconds: rated.billableSeconds,
    minimumAppliedSeconds: rated.minimumAppliedSeconds,
    billedSeconds: rated.billedSeconds,
    subsequentIncrements: rated.subsequentIncrements,
    ratePerMinuteMinor: rate.ratePerMinuteMinor,
    durationChargeMinor: rated.durationChargeMinor,
    connectionFeeMinor: rated.connectionFeeMinor,
    ratedAmountMinor: rated.amountMinor,
    coverableMinor,
    amountMinor,
    steps,
  };
}

function compare(fields: Array<[string, unknown, unknown]>): Difference[] {
  return fields
    .filter(([, recomputed, ledger]) => JSON.stringify(recomputed) !== JSON.stringify(ledger))
    .map(([field, recomputed, ledger]) => ({ field, recomputed, ledger }));
}

/** The audit of one call. Total over any input: a call with no events audits as PENDING/unknown. */
export function auditCall(input: CallAuditInput): CallAudit {
  const { callId, callEvents, walletEvents, planEvents } = input;
  const requested = dataOf<{ to: string; mode?: 'live' | 'test'; requestedAt: string; tenantId: string }>(callEvents.find((e) => e.type === 'CallRequested'));
  const answered = dataOf<{ answeredAt: string }>(callEvents.find((e) => e.type === 'CallAnswered'));
  const terminalEvent = callEvents.find((e) => TERMINAL_TYPES.has(e.type));
  const terminal: Terminal | null = terminalEvent
    ? { type: terminalEvent.type as Terminal['type'], data: terminalEvent.data as Record<string, unknown>, eventId: terminalEvent.metadata.eventId }
    : null;
  const evidence = evidenceOf(terminal, answered?.answeredAt ?? null);
  const lost = terminal?.type === 'CallLost' ? (terminal.data as LostCallData) : null;

  // Replay the wallet up to this call's charge, so the coverage the charge saw is known.
  let wallet: WalletState = initialWalletState();
  let chargeEvent: AuditInputEvent | undefined;
  let coverableMinor: number | null = null;
  const walletRows: AuditInputEvent[] = [];
  for (const event of walletEvents) {
    const d = event.data as { callId?: string };
    if (d.callId === callId) walletRows.push(event);
    if (event.type === 'CallCharged' && d.callId === callId && !chargeEvent) {
      chargeEvent = event;
      coverableMinor = availableMinor(wallet) + (wallet.reservations.get(callId)?.amountMinor ?? 0);
    }
    wallet = evolveWallet(wallet, event);
  }
  const ledger = chargeEvent ? ledgerOf(chargeEvent) : null;
  const timeline = [...callEvents, ...walletRows].map(timelineRow).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const mode = requested ? (requested.mode ?? 'live') : null;
  const rateInForce = requested ? rateInForceAt(walletEvents, planEvents, requested.to, requested.requestedAt) : null;
  const base = {
    callId,
    accountId: requested?.tenantId ?? callEvents[0]?.metadata.tenantId ?? null,
    destination: requested?.to ?? null,
    mode,
    requestedAt: requested?.requestedAt ?? null,
    status: terminal ? ('ended' as const) : requested ? ('in_progress' as const) : ('unknown' as const),
    currency: wallet.currency ?? ledger?.currency ?? null,
    timeline,
    evidence,
    rateInForce,
    ledger,
    lostCall: lost
      ? { billingRule: lost.billingRule, lastSeenAt: lost.lastSeenAt, detectedAt: lost.detectedAt, billableUntil: lost.billableUntil, explanation: lostCallBillingSentence(lost) }
      : null,
  };

  if (!requested) {
    if (ledger) return { ...base, recomputed: null, verdict: 'MISMATCH', reason: 'The ledger charges a call that has no events in the log.', differences: [{ field: 'call', recomputed: null, ledger: callId }] };
    return { ...base, recomputed: null, verdict: 'PENDING', reason: 'No events for this call.', differences: [] };
  }
  if (mode === 'test') {
    if (ledger) return { ...base, recomputed: null, verdict: 'MISMATCH', reason: 'A test-mode call was charged; test-mode calls are never billed.', differences: [{ field: 'amountMinor', recomputed: 0, ledger: ledger.amountMinor }] };
    return { ...base, recomputed: null, verdict: 'NOT_BILLABLE', reason: 'Test-mode call: billing never charges it, and no charge exists.', differences: [] };
  }
  if (!terminal) {
    if (ledger) return { ...base, recomputed: null, verdict: 'MISMATCH', reason: 'The call is charged but has not ended in the log.', differences: [{ field: 'evidence.terminalEventId', recomputed: null, ledger: ledger.terminalEventId }] };
    return { ...base, recomputed: null, verdict: 'PENDING', reason: 'The call has not ended yet; it is charged when it does.', differences: [] };
  }
  if (!rateInForce) {
    const reason = 'No rate plan or rate was in force for this destination when the call was placed.';
    if (ledger) return { ...base, recomputed: null, verdict: 'MISMATCH', reason, differences: [{ field: 'rate', recomputed: null, ledger: `${ledger.planId} v${ledger.planVersion} ${ledger.rateId}` }] };
    return { ...base, recomputed: null, verdict: 'PENDING', reason: `${reason} The call has no charge.`, differences: [] };
  }
  if (!ledger) {
    const recomputed = recompute(rateInForce.rate, evidence, null, lost);
    return { ...base, recomputed, verdict: 'PENDING', reason: 'The call ended; its charge is not recorded yet.', differences: [] };
  }
  const charged = (chargeEvent!.data as Charged);
  const recomputed = recompute(rateInForce.rate, evidence, coverableMinor, lost);
  const differences = compare([
    ['planId', rateInForce.planId, charged.applied.planId],
    ['planVersion', rateInForce.planVersion, charged.applied.planVersion],
    ['rate', rateInForce.rate, charged.applied.rate],
    ['evidence.terminalEventId', evidence.terminalEventId, charged.evidence.terminalEventId],
    ['evidence.attempt', evidence.attempt, charged.evidence.attempt],
    ['evidence.answeredAt', evidence.answeredAt, charged.evidence.answeredAt],
    ['evidence.endedAt', evidence.endedAt, charged.evidence.endedAt],
    ['evidence.cause', evidence.cause, charged.evidence.cause],
    ['billableMs', recomputed.billableMs, charged.computation.billableMs],
    ['billedSeconds', recomputed.billedSeconds, charged.computation.billedSeconds],
    ['durationChargeMinor', recomputed.durationChargeMinor, charged.computation.durationChargeMinor],
    ['connectionFeeMinor', recomputed.connectionFeeMinor, charged.computation.connectionFeeMinor],
    ['ratedAmountMinor', recomputed.ratedAmountMinor, charged.computation.ratedAmountMinor],
    ['uncollectedMinor', recomputed.ratedAmountMinor - recomputed.amountMinor, charged.computation.uncollectedMinor],
    ['amountMinor', recomputed.amountMinor, charged.amount.amountMinor],
  ]);
  if (differences.length === 0) return { ...base, recomputed, verdict: 'MATCH', reason: 'The charge in the ledger equals the one recomputed from the call\'s events.', differences };
  return { ...base, recomputed, verdict: 'MISMATCH', reason: `The ledger differs from the recomputed charge in ${differences.map((d) => d.field).join(', ')}.`, differences };
}
