import type { CallRow } from '../projections/calls/types.ts';
import type { ContactListRecord, ContactRecord, ListContactsQuery, Page } from '../projections/contacts/types.ts';
import type { RequestContext } from './dependencies.ts';

/** A contact as a validated request gives it; the phone is normalised by the command layer. */
export type ContactFields = Omit<ContactRecord, 'contactId' | 'tenantId' | 'createdAt' | 'updatedAt'>;

export type ImportReport = {
  /** Null for a dry run, which imports nothing. */
  importId: string | null;
  listId: string | null;
  imported: number;
  duplicatesExisting: number;
  rejected: number;
  errors: Array<{ line: number; phone: string; reason: string; message: string }>;
};

/** What the contacts and contact-list routes need; absent → those routes answer 404. */
export interface ContactsDependencies {
  /** The largest CSV upload accepted, in bytes (larger → 413). */
  readonly maxImportBytes: number;
  /** Throws CONTACT_ALREADY_EXISTS (409, with the existing id) for a number already in the book. */
  create(ctx: RequestContext, fields: ContactFields): Promise<ContactRecord>;
  list(tenantId: string, query: ListContactsQuery): Promise<{ rows: ContactRecord[]; total: number }>;
  get(tenantId: string, contactId: string): Promise<ContactRecord | null>;
  update(ctx: RequestContext, contactId: string, changes: Partial<ContactFields>): Promise<ContactRecord>;
  delete(ctx: RequestContext, contactId: string): Promise<void>;
  callsOf(tenantId: string, contactId: string, page: Page): Promise<{ rows: CallRow[]; total: number } | null>;
  /** Throws CONTACT_LIST_NOT_FOUND before reading anything when `listId` is not the tenant's. */
  importCsv(ctx: RequestContext, file: Uint8Array, listId: string | null): Promise<ImportReport>;
  /** importCsv's checks and per-row report, writing nothing (`?dry_run=true`). */
  previewCsv(ctx: RequestContext, file: Uint8Array, listId: string | null): Promise<ImportReport>;
  createList(ctx: RequestContext, fields: { name: string; description: string | null }): Promise<ContactListRecord>;
  lists(tenantId: string, page: Page): Promise<{ rows: ContactListRecord[]; total: number }>;
  getList(tenantId: string, listId: string, page: Page): Promise<{ list: ContactListRecord; contacts: ContactRecord[] } | null>;
  addToList(ctx: RequestContext, listId: string, contactIds: string[]): Promise<ContactListRecord>;
  removeFromList(ctx: RequestContext, listId: string, contactId: string): Promise<void>;
  /** True when the list exists in the tenant's book (checked before a CSV upload is read). */
  hasList(tenantId: string, listId: string): Promise<boolean>;
}
