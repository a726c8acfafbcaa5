import type { EventStore } from '../../adapters/eventstore/port.ts';
import {
  auditCall,
  balanceAt,
  summariseAccount,
  type AccountAudit,
  type AuditInputEvent,
  type BalanceAt,
  type CallAudit,
} from '../../domain/audit/index.ts';
import { RATE_PLAN_SCHEMA_VERSION, ratePlanEventSchemas, WALLET_SCHEMA_VERSION, walletEventSchemas, type RatePlanEvent, type WalletEvent } from '../../domain/billing/index.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { GlobalPosition, RecordedEvent } from '../../domain/shared/messages.ts';
import { callStream, categoryOf, idOf, ratePlanStream, walletStream } from '../../domain/shared/streams.ts';
import { callCodec } from '../calls/call-codec.ts';
import { zodCodec } from '../zod-codec.ts';

const walletCodec = zodCodec<WalletEvent>(walletEventSchemas, WALLET_SCHEMA_VERSION);
const planCodec = zodCodec<RatePlanEvent>(ratePlanEventSchemas, RATE_PLAN_SCHEMA_VERSION);

type Decoder = { decode(recorded: RecordedEvent): { type: string; data: unknown } | null };

/** Decoded (and upcast) events, keeping their metadata; events a codec does not know are kept raw. */
function decodeAll(events: readonly RecordedEvent[], codec: Decoder): AuditInputEvent[] {
  return events.map((recorded) => {
    let decoded: { type: string; data: unknown } | null = null;
    try {
      decoded = codec.decode(recorded);
    } catch {
      decoded = null; // an event that no longer fits its schema is audited as stored
    }
    return { ...recorded, data: (decoded?.data ?? recorded.data) as Record<string, unknown> };
  });
}

/** Page size for scanning the log in `auditAccount`. */
const PAGE = 5_000;

/**
 * Loads what an audit needs from the event log (never from read models) and hands it to the pure
 * audit functions in src/domain/audit.
 */
export class AuditService {
  constructor(private readonly store: EventStore) {}

  /**
   * The audit of one call. With `tenantId`, a call of another tenant (or no call at all) is
   * CALL_NOT_FOUND; without it (the operator's CLI) any call is audited.
   */
  async call(callId: string, tenantId: string | null = null): Promise<CallAudit> {
    const callEvents = decodeAll(await this.store.readStream(callStream(callId)), callCodec);
    const owner = callEvents[0]?.metadata.tenantId ?? null;
    if (owner === null || (tenantId !== null && owner !== tenantId)) {
      throw new NotFoundError('CALL_NOT_FOUND', 'No call with this id exists.', { call_id: callId });
    }
    const walletEvents = await this.wallet(owner);
    const planEvents = await this.plansOf(walletEvents);
    return auditCall({ callId, callEvents, walletEvents, planEvents });
  }

  /**
   * Every call the account placed in [from, to) — found by scanning the log for its call streams —
   * plus every charge in its ledger for a call placed in the period, each recomputed and compared.
   */
  async account(accountId: string, from: string, to: string, onProgress?: (scanned: number) => void): Promise<AccountAuditWithCalls> {
    const start = Date.parse(from);
    const end = Date.parse(to);
    const walletEvents = await this.wallet(accountId);
    const planEvents = await this.plansOf(walletEvents);
    const calls = new Map<string, RecordedEvent[]>();
    let after: GlobalPosition | undefined;
    let scanned = 0;
    for (;;) {
      const page = await this.store.readAll(after ? { after, maxCount: PAGE } : { maxCount: PAGE });
      if (page.length === 0) break;
      for (const event of page) {
        if (event.metadata.tenantId !== accountId || categoryOf(event.streamName) !== 'call') continue;
        const id = idOf(event.streamName);
        const list = calls.get(id);
        if (list) list.push(event);
        else calls.set(id, [event]);
      }
      scanned += page.length;
      onProgress?.(scanned);
      after = page[page.length - 1]!.position;
      if (page.length < PAGE) break;
    }
    const inPeriod = (iso: string | undefined): boolean => {
      if (!iso) return false;
      const when = Date.parse(iso);
      return when >= start && when < end;
    };
    const audits: CallAudit[] = [];
    const seen = new Set<string>();
    for (const [callId, raw] of calls) {
      raw.sort((a, b) => (a.streamRevision < b.streamRevision ? -1 : a.streamRevision > b.streamRevision ? 1 : 0));
      const callEvents = decodeAll(raw, callCodec);
      const requested = callEvents.find((e) => e.type === 'CallRequested')?.data as { requestedAt?: string } | undefined;
      if (!inPeriod(requested?.requestedAt ?? callEvents[0]?.metadata.occurredAt)) continue;
      seen.add(callId);
      audits.push(auditCall({ callId, callEvents, walletEvents, planEvents }));
    }
    // A charge whose call is missing from the log is itself a finding.
    for (const event of walletEvents) {
      if (event.type !== 'CallCharged') continue;
      const data = event.data as { callId: string; evidence: { requestedAt: string } };
      if (seen.has(data.callId) || calls.has(data.callId) || !inPeriod(data.evidence.requestedAt)) continue;
      seen.add(data.callId);
      audits.push(auditCall({ callId: data.callId, callEvents: [], walletEvents, planEvents }));
    }
    audits.sort((a, b) => ((a.requestedAt ?? '') < (b.requestedAt ?? '') ? -1 : (a.requestedAt ?? '') > (b.requestedAt ?? '') ? 1 : a.callId < b.callId ? -1 : 1));
    return { ...summariseAccount(accountId, new Date(start).toISOString(), new Date(end).toISOString(), audits), audits };
  }

  /** The wallet as it was at `at`, replayed from the log. An account with no wallet events is ACCOUNT_NOT_FOUND. */
  async balance(accountId: string, at: string, options: { requireWallet?: boolean } = {}): Promise<BalanceAt> {
    const walletEvents = await this.wallet(accountId);
    if (walletEvents.length === 0 && options.requireWallet !== false) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'No wallet exists for this account.', { account_id: accountId });
    return balanceAt(accountId, walletEvents, at);
  }

  private async wallet(accountId: string): Promise<AuditInputEvent[]> {
    return decodeAll(await this.store.readStream(walletStream(accountId)), walletCodec);
  }

  private async plansOf(walletEvents: readonly AuditInputEvent[]): Promise<Map<string, AuditInputEvent[]>> {
    const ids = new Set<string>();
    for (const event of walletEvents) {
      if (event.type === 'RatePlanAssigned') ids.add((event.data as { planId: string }).planId);
      if (event.type === 'CallCharged') ids.add((event.data as { applied: { planId: string } }).applied.planId);
    }
    const plans = new Map<string, AuditInputEvent[]>();
    for (const id of ids) plans.set(id, decodeAll(await this.store.readStream(ratePlanStream(id)), planCodec));
    return plans;
  }
}

export type AccountAuditWithCalls = AccountAudit & { readonly audits: readonly CallAudit[] };
