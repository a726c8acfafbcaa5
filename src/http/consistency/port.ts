import type { GlobalPosition } from '../../domain/shared/messages.ts';

/**
 * Read-your-writes for the query API. The app learns which log position a request's own appends
 * reached (to hand it back as `Calltrail-Position`), and can wait, bounded, for the read models
 * to apply a position a client presents.
 */
export interface ConsistencyPort {
  /**
   * Runs `work` (the rest of the request) so that every append made while it runs, or by anything
   * it awaits, is reported to `onAppended` with the highest position the request has reached.
   */
  recordAppends(work: () => void, onAppended: (highest: GlobalPosition) => void): void;
  /** True once every read model has applied `position`; false when `timeoutMs` passed first. */
  readModelsReached(position: GlobalPosition, timeoutMs: number): Promise<boolean>;
  /** The bound on one read's wait, in ms. */
  readonly waitMs: number;
}
