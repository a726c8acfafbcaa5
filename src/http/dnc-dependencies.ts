import type { TenantDncEntry } from '../projections/dnc/queries.ts';
import type { DncListing } from '../projections/dnc/types.ts';
import type { OperatorContext } from './billing-dependencies.ts';
import type { RequestContext } from './dependencies.ts';

export type DncImportReport = {
  importId: string;
  imported: number;
  duplicatesExisting: number;
  rejected: number;
  errors: Array<{ line: number; phone: string; reason: string; message: string }>;
};

export type DncPageQuery = { page: number; perPage: number };

/** What the do-not-call routes need (src/http/routes/dnc.ts); absent → those routes answer 404. */
export interface DncDependencies {
  /** The largest CSV upload accepted, in bytes (larger → 413). */
  readonly maxImportBytes: number;
  /** Whether a bearer token is the operator's key (the operator-wide list's routes). */
  isOperator(token: string): boolean | Promise<boolean>;
  /** The number normalised with the account's country, and the entry barring it (null: not listed). */
  check(ctx: RequestContext, phone: string): Promise<{ phone: string; listing: DncListing | null }>;
  list(tenantId: string, page: DncPageQuery): Promise<{ rows: TenantDncEntry[]; total: number }>;
  /** Idempotent: a listed number stays as it was. Answers the entry as it now stands. */
  add(ctx: RequestContext, input: { phone: string; reason: string | null }): Promise<DncListing>;
  /** 404 DNC_ENTRY_NOT_FOUND when not listed; 403 DNC_ENTRY_OPERATOR_WIDE when only the operator lists it. */
  remove(ctx: RequestContext, input: { phone: string; reason: string | null }): Promise<void>;
  importCsv(ctx: RequestContext, file: Uint8Array, reason: string | null): Promise<DncImportReport>;
  operator: {
    check(ctx: OperatorContext, phone: string): Promise<{ phone: string; listing: DncListing | null }>;
    list(page: DncPageQuery): Promise<{ rows: DncListing[]; total: number }>;
    add(ctx: OperatorContext, input: { phone: string; reason: string | null }): Promise<DncListing>;
    remove(ctx: OperatorContext, input: { phone: string; reason: string | null }): Promise<void>;
    importCsv(ctx: OperatorContext, file: Uint8Array, reason: string | null): Promise<DncImportReport>;
  };
}
