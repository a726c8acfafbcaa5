/**
 * What deciding needs to know about a tenant's address book: which numbers are taken (and by
 * whom), which contacts and lists exist, and who is on each list. Profiles themselves are not
 * kept: no decision depends on a name or an email, and a book of 200k contacts stays small.
 *
 * The maps are updated in place by evolve: the book is folded once and cached
 * (CachedAggregate), and copying 100k entries per event would make an import quadratic.
 */
export type ContactBookState = {
  /** E.164 → contact id, for contacts that are not deleted. */
  readonly phones: Map<string, string>;
  /** contact id → its E.164, for contacts that are not deleted. */
  readonly contacts: Map<string, string>;
  /** list id → its members. */
  readonly lists: Map<string, Set<string>>;
};

export function initialContactBookState(): ContactBookState {
  return { phones: new Map(), contacts: new Map(), lists: new Map() };
}
