import type { DncImportReport } from '../dnc-dependencies.ts';
import type { TenantDncEntry } from '../../projections/dnc/queries.ts';
import type { DncListing } from '../../projections/dnc/types.ts';

export function dncEntryView(entry: DncListing) {
  return {
    phone: entry.phone,
    scope: entry.scope,
    reason: entry.reason,
    source: entry.source,
    call_id: entry.callId,
    added_at: entry.addedAt,
  };
}

/** A tenant's own entry; `operator_listed` says the number stays barred after the tenant removes it. */
export const tenantDncEntryView = (entry: TenantDncEntry) => ({ ...dncEntryView(entry), operator_listed: entry.operatorListed });

/** The check's answer, ZeroVoice's `{phone, listed, …}`: the entry's fields are null when not listed. */
export function dncCheckView(phone: string, listing: DncListing | null) {
  return {
    phone,
    listed: listing !== null,
    scope: listing?.scope ?? null,
    reason: listing?.reason ?? null,
    source: listing?.source ?? null,
    call_id: listing?.callId ?? null,
    added_at: listing?.addedAt ?? null,
  };
}

export function dncImportView(report: DncImportReport) {
  return {
    import_id: report.importId,
    imported: report.imported,
    duplicates_existing: report.duplicatesExisting,
    rejected: report.rejected,
    errors: report.errors.map((error) => ({ line: error.line, phone: error.phone, reason: error.reason, message: error.message })),
  };
}
