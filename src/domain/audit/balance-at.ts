import { ledgerEffect } from '../billing/wallet-events.ts';
import type { AuditInputEvent } from './call-audit.ts';

/** One line of the wallet's ledger, with the running totals after it. */
export type LedgerLine = {
  readonly at: string;
  readonly type: string;
  readonly eventId: string;
  readonly callId: string | null;
  readonly balanceChangeMinor: number;
  readonly reservedChangeMinor: number;
  readonly balanceMinor: number;
  readonly reservedMinor: number;
};

export type BalanceAt = {
  readonly accountId: string;
  readonly at: string;
  readonly currency: string | null;
  readonly balanceMinor: number;
  /** Holds open at that instant. */
  readonly reservedMinor: number;
  readonly availableMinor: number;
  /** How many wallet events happened at or before `at`. */
  readonly eventsApplied: number;
  /** The last of them, null when the wallet was empty then. */
  readonly lastEvent: LedgerLine | null;
};

/**
 * The wallet as it was at `at`: every event recorded at or before that instant (by the time the
 * event was decided, its `occurredAt`), folded in stream order with the one ledger rule. Later events
 * are skipped rather than ending the fold, so clocks of concurrent writers that differ slightly are harmless.
 */
export function balanceAt(accountId: string, walletEvents: readonly AuditInputEvent[], at: string): BalanceAt {
  const when = Date.parse(at);
  let balanceMinor = 0;
  let reservedMinor = 0;
  let currency: string | null = null;
  let applied = 0;
  let lastEvent: LedgerLine | null = null;
  for (const event of walletEvents) {
    if (Date.parse(event.metadata.occurredAt) > when) continue;
    const effect = ledgerEffect(event);
    balanceMinor += effect.balance;
    reservedMinor += effect.reserved;
    const data = event.data as { amount?: { currency: string }; currency?: string; callId?: string | null };
    currency ??= data.amount?.currency ?? data.currency ?? null;
    applied++;
    lastEvent = {
      at: event.metadata.occurredAt,
      type: event.type,
      eventId: event.metadata.eventId,
      callId: data.callId ?? null,
      balanceChangeMinor: effect.balance,
      reservedChangeMinor: effect.reserved,
      balanceMinor,
      reservedMinor,
    };
  }
  return { accountId, at: new Date(when).toISOString(), currency, balanceMinor, reservedMinor, availableMinor: balanceMinor - reservedMinor, eventsApplied: applied, lastEvent };
}
