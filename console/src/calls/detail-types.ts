import type { CallView } from './types.ts';

/** GET /api/v1/calls/:id: the call, its timeline, and (with billing) its charge and how it was computed. */
export type MoneyView = { amount_minor: number; currency: string; formatted?: string };

export type TimelineEntry = { event_id: string; type: string; at: string; actor: string; correlation_id: string; data: Record<string, unknown> };

export type ChargeView = {
  amount: MoneyView;
  charged_at: string;
  outcome: string;
  destination?: string;
  rate: { plan_id: string; plan_version: number; rate_id?: string; prefix?: string; rate_per_minute?: MoneyView; billing_increment?: string };
  computation: {
    billable_ms: number;
    billable_seconds: number;
    billed_seconds: number;
    billing_increment: string;
    duration_charge: MoneyView;
    connection_fee: MoneyView;
    rated_amount: MoneyView;
    uncollected: MoneyView;
    formula: string;
    rounding: string;
  };
};

export type CallDetail = CallView & { timeline: TimelineEntry[]; charge?: ChargeView | null };

/** GET /api/v1/calls/:id/audit (src/domain/audit/call-audit.ts CallAudit): the call re-judged from the log. */
export type CallAudit = {
  callId: string;
  currency: string | null;
  verdict: 'MATCH' | 'MISMATCH' | 'NOT_BILLABLE' | 'PENDING';
  reason: string;
  differences: { field: string; recomputed: unknown; ledger: unknown }[];
  recomputed: { amountMinor: number; ratedAmountMinor: number; billedSeconds: number; steps: string[] } | null;
  ledger: { amountMinor: number; currency: string; eventId: string; at: string } | null;
  rateInForce: { planId: string; planName: string | null; planVersion: number } | null;
};

export type RecordingView = { name: string; format: string; duration_seconds: number; stored_at: string; url: string };
