import type { DncImportedEntry, DncScope, DncSource } from './events.ts';

/** Commands to one do-not-call list. Numbers are already E.164; `at` comes from the injected clock. */

export type AddDncEntry = {
  readonly type: 'AddDncEntry';
  readonly data: { phone: string; scope: DncScope; reason: string | null; source: DncSource; callId: string | null; at: string };
};

/** One chunk of an import; rows are unique within the file, the decider drops numbers already listed. */
export type ImportDncEntries = {
  readonly type: 'ImportDncEntries';
  readonly data: { importId: string; scope: DncScope; rows: readonly DncImportedEntry[]; at: string };
};

export type RemoveDncEntry = {
  readonly type: 'RemoveDncEntry';
  readonly data: { phone: string; scope: DncScope; reason: string | null; at: string };
};

export type DncCommand = AddDncEntry | ImportDncEntries | RemoveDncEntry;
