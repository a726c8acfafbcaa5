import { z } from 'zod';

/**
 * A do-not-call list is one stream: each tenant's own (`dnc-<tenantId>`) and the operator's,
 * which applies to every tenant (`dnc-operator`). Entries are facts on the log: an add, a removal
 * with its reason, an import chunk. The list's history stays; its current state is a fold.
 * An import writes one DncEntriesImported event per chunk of rows, not one event per number.
 */

const instant = z.iso.datetime({ offset: true });
const e164 = z.string().regex(/^\+[1-9]\d{5,14}$/);

export const DNC_SCOPES = ['tenant', 'operator'] as const;
export const DncScope = z.enum(DNC_SCOPES);
export type DncScope = z.infer<typeof DncScope>;

export const DNC_SOURCES = ['api', 'import', 'keypress'] as const;
export const DncSource = z.enum(DNC_SOURCES);
export type DncSource = z.infer<typeof DncSource>;

export const DncReason = z.string().min(1).max(500).nullable();

export const DncEntryAdded = z.object({
  phone: e164,
  scope: DncScope,
  reason: DncReason,
  source: DncSource,
  /** The call the callee opted out on (source 'keypress'); null otherwise. */
  callId: z.uuid().nullable(),
  addedAt: instant,
});

export const DncImportedEntry = z.object({ phone: e164, reason: DncReason });
export type DncImportedEntry = z.infer<typeof DncImportedEntry>;

/** One chunk of an import: only numbers the list did not hold yet. */
export const DncEntriesImported = z.object({
  importId: z.uuid(),
  scope: DncScope,
  entries: z.array(DncImportedEntry).min(1),
  importedAt: instant,
});

export const DncEntryRemoved = z.object({ phone: e164, scope: DncScope, reason: DncReason, removedAt: instant });

export const dncEventSchemas = { DncEntryAdded, DncEntriesImported, DncEntryRemoved } as const;

export type DncEventType = keyof typeof dncEventSchemas;

export type DncEvent = {
  [K in DncEventType]: { readonly type: K; readonly data: z.infer<(typeof dncEventSchemas)[K]> };
}[DncEventType];

export type DncEventOf<K extends DncEventType> = Extract<DncEvent, { type: K }>;

export const CURRENT_DNC_SCHEMA_VERSION: Record<DncEventType, number> = { DncEntryAdded: 1, DncEntriesImported: 1, DncEntryRemoved: 1 };

export function isDncEventType(type: string): type is DncEventType {
  return Object.hasOwn(dncEventSchemas, type);
}
