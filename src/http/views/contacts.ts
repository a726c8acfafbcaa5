import type { ContactListRecord, ContactRecord } from '../../projections/contacts/types.ts';
import type { ImportReport } from '../contacts-dependencies.ts';

/** The one mapping from contact read-model rows to public snake_case JSON. */

export function contactView(contact: ContactRecord) {
  return {
    id: contact.contactId,
    name: contact.name,
    phone: contact.phone,
    email: contact.email,
    company: contact.company,
    tags: contact.tags,
    attributes: contact.attributes,
    time_zone: contact.timeZone,
    created_at: contact.createdAt,
    updated_at: contact.updatedAt,
  };
}

export function contactListView(list: ContactListRecord) {
  return {
    id: list.listId,
    name: list.name,
    description: list.description,
    contact_count: list.contactCount,
    created_at: list.createdAt,
  };
}

export function importReportView(report: ImportReport) {
  return {
    import_id: report.importId,
    list_id: report.listId,
    imported: report.imported,
    duplicates_existing: report.duplicatesExisting,
    rejected: report.rejected,
    errors: report.errors.map((error) => ({ line: error.line, phone: error.phone, reason: error.reason, message: error.message })),
  };
}

export const pagination = (page: number, perPage: number, total: number) => ({ page, per_page: perPage, total, total_pages: Math.ceil(total / perPage) });
