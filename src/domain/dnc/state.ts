/**
 * What deciding needs about a do-not-call list: which numbers are on it now. Reasons and sources
 * live in the read model; no decision depends on them, and a list of a million numbers stays a Set.
 *
 * The set is updated in place by evolve: the list is folded once and cached (CachedAggregate),
 * and copying it per event would make an import quadratic.
 */
export type DncListState = {
  readonly listed: Set<string>;
  /**
   * Calls whose keypress opt-out is on the list's history: an opt-out is recorded once per call,
   * so a redelivered one cannot list again a number that was removed after it.
   */
  readonly optOutCalls: Set<string>;
};

export function initialDncListState(): DncListState {
  return { listed: new Set(), optOutCalls: new Set() };
}
