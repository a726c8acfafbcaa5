import type { GlobalPosition } from '../../domain/shared/messages.ts';
import type { DncListing } from '../../projections/dnc/types.ts';

/**
 * The one place that says whether a number may be dialled for a tenant. POST /calls asks it
 * through a placement step; the campaign dialer asks it again right before an originate, and an
 * enrollment (a campaign's CSV, a contact list) asks it for a whole batch. All of them read the
 * same read model, so they cannot disagree.
 */

export type { DncListing };

export type DncReadOptions = {
  /**
   * Answer only once the read model includes the log up to here (e.g. the position of the claim
   * that is about to be dialled): every DNC change committed before it is then seen.
   */
  readonly after?: GlobalPosition | null;
  /**
   * How long to wait for the read model to reach `after` before the check fails. A large import
   * is projected in big batches, so a dial may wait for it rather than fail; default: the engine's.
   */
  readonly waitMs?: number;
};

export interface DncScreen {
  /** The entry forbidding `phone` (E.164) for the tenant (the operator's first), or null. */
  check(tenantId: string, phone: string, options?: DncReadOptions): Promise<DncListing | null>;
  /** Which of `phones` (E.164) the tenant may not dial, from either list, in one read. */
  listedAmong(tenantId: string, phones: readonly string[], options?: DncReadOptions): Promise<Set<string>>;
}

/** Who records an opt-out: the engine itself, on behalf of the call's tenant. */
export type OptOutRecord = {
  readonly tenantId: string;
  /** E.164, as the call dialled it. */
  readonly phone: string;
  readonly callId: string;
  readonly reason: string | null;
  readonly actor: string;
  readonly correlationId: string;
  /** The event that caused it (e.g. the DTMF event's id). */
  readonly causationId: string;
};

/** What a keypress opt-out reactor needs: adds to the tenant's list with source 'keypress'; idempotent per number. */
export interface DncOptOut {
  recordOptOut(record: OptOutRecord): Promise<{ position: GlobalPosition | null }>;
}
