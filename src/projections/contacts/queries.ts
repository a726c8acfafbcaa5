import { sql, type Kysely } from 'kysely';
import { callRowFromColumns } from '../calls/rows.ts';
import type { CallRow } from '../calls/types.ts';
import type { ContactListRecord, ContactRecord, ListContactsQuery, Page } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (value: unknown): string => new Date(value as string | Date).toISOString();
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
/** `%` and `_` typed by a client are searched for literally. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

function contactFromColumns(row: Record<string, unknown>): ContactRecord {
  return {
    contactId: row.contact_id as string,
    tenantId: row.tenant_id as string,
    name: row.name as string,
    phone: row.phone as string,
    email: (row.email as string | null) ?? null,
    company: (row.company as string | null) ?? null,
    tags: json<string[]>(row.tags),
    attributes: json<ContactRecord['attributes']>(row.attributes),
    timeZone: (row.time_zone as string | null) ?? null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** What the HTTP layer reads about contacts and lists. Every query takes the tenant. */
export class ContactQueries {
  constructor(private readonly db: Kysely<any>) {}

  /** Newest first; `search` matches name, email (case-insensitive) or the digits of the number. */
  async list(tenantId: string, query: ListContactsQuery): Promise<{ rows: ContactRecord[]; total: number }> {
    let base = this.db.selectFrom('contacts').where('tenant_id', '=', tenantId);
    const search = query.search?.trim();
    if (search) {
      const text = `%${likeEscape(search.toLowerCase())}%`;
      const digits = search.replace(/\D/g, '');
      base = base.where((eb) =>
        eb.or([
          eb(sql`lower(name)`, 'like', text),
          eb(sql`lower(coalesce(email, ''))`, 'like', text),
          ...(digits.length > 0 ? [eb('phone', 'like', `%${digits}%`)] : []),
        ]),
      );
    }
    if (query.tag) base = base.where(sql<boolean>`tags @> ${JSON.stringify([query.tag])}::jsonb`);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at', 'desc').orderBy('contact_id').limit(query.perPage).offset((query.page - 1) * query.perPage).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(contactFromColumns), total: Number(count.total) };
  }

  async get(tenantId: string, contactId: string): Promise<ContactRecord | null> {
    if (!UUID.test(contactId)) return null;
    const row = await this.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('contact_id', '=', contactId.toLowerCase()).executeTakeFirst();
    return row ? contactFromColumns(row) : null;
  }

  /** Calls placed to the contact's number in this tenant, newest first; null for an unknown contact. */
  async callsOf(tenantId: string, contactId: string, page: Page): Promise<{ rows: CallRow[]; total: number } | null> {
    const contact = await this.get(tenantId, contactId);
    if (!contact) return null;
    const base = this.db.selectFrom('calls').where('tenant_id', '=', tenantId).where('to_number', '=', contact.phone);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('requested_at', 'desc').orderBy('call_id', 'desc').limit(page.perPage).offset((page.page - 1) * page.perPage).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(callRowFromColumns), total: Number(count.total) };
  }

  async lists(tenantId: string, page: Page): Promise<{ rows: ContactListRecord[]; total: number }> {
    const base = this.db.selectFrom('contact_lists').where('tenant_id', '=', tenantId);
    const [rows, count] = await Promise.all([
      base
        .selectAll('contact_lists')
        .select((eb) =>
          eb.selectFrom('contact_list_members as m').whereRef('m.list_id', '=', 'contact_lists.list_id').select(eb.fn.countAll<string>().as('n')).as('contact_count'),
        )
        .orderBy('created_at', 'desc')
        .orderBy('list_id')
        .limit(page.perPage)
        .offset((page.page - 1) * page.perPage)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(listFromColumns), total: Number(count.total) };
  }

  /** The list with its contact count and one page of its contacts (newest members first). */
  async getList(tenantId: string, listId: string, page: Page): Promise<{ list: ContactListRecord; contacts: ContactRecord[] } | null> {
    if (!UUID.test(listId)) return null;
    const id = listId.toLowerCase();
    const row = await this.db.selectFrom('contact_lists').selectAll().where('tenant_id', '=', tenantId).where('list_id', '=', id).executeTakeFirst();
    if (!row) return null;
    const members = this.db.selectFrom('contact_list_members as m').where('m.list_id', '=', id).where('m.tenant_id', '=', tenantId);
    const [count, contacts] = await Promise.all([
      members.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      members
        .innerJoin('contacts as c', 'c.contact_id', 'm.contact_id')
        .selectAll('c')
        .orderBy('m.added_at', 'desc')
        .orderBy('c.contact_id')
        .limit(page.perPage)
        .offset((page.page - 1) * page.perPage)
        .execute(),
    ]);
    return { list: listFromColumns({ ...row, contact_count: count.n }), contacts: contacts.map(contactFromColumns) };
  }

  /** Every contact of a list, for campaigns: ids and numbers in the order they joined. */
  async membersOf(tenantId: string, listId: string): Promise<Array<{ contactId: string; phone: string; timeZone: string | null }>> {
    const rows = await this.db
      .selectFrom('contact_list_members as m')
      .innerJoin('contacts as c', 'c.contact_id', 'm.contact_id')
      .select(['c.contact_id', 'c.phone', 'c.time_zone'])
      .where('m.list_id', '=', listId)
      .where('m.tenant_id', '=', tenantId)
      .orderBy('m.added_at')
      .orderBy('c.contact_id')
      .execute();
    return rows.map((row) => ({ contactId: row.contact_id, phone: row.phone, timeZone: row.time_zone ?? null }));
  }
}

function listFromColumns(row: Record<string, unknown>): ContactListRecord {
  return {
    listId: row.list_id as string,
    tenantId: row.tenant_id as string,
    name: row.name as string,
    description: (row.description as string | null) ?? null,
    contactCount: Number(row.contact_count ?? 0),
    createdAt: iso(row.created_at),
  };
}
