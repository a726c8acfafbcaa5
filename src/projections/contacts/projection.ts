import type { Kysely, Transaction } from 'kysely';
import { isContactEventType, type ContactEvent, type NewContact } from '../../domain/contact/events.ts';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf, idOf } from '../../domain/shared/streams.ts';
import type { Projection } from '../projection.ts';

/**
 * `contacts`, `contact_lists` and `contact_list_members`, from the tenants' address books.
 * `contact_books` remembers the last revision applied per book, so an event already applied is
 * skipped and a replay changes nothing. An import chunk becomes one multi-row insert.
 */

const BOOKS = 'contact_books';

export const contactsProjection: Projection = {
  name: 'contacts',
  version: 1,

  async migrate(db: Kysely<any>) {
    await db.schema
      .createTable(BOOKS)
      .ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.primaryKey())
      .addColumn('last_revision', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('contacts')
      .ifNotExists()
      .addColumn('contact_id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('company', 'text')
      .addColumn('tags', 'jsonb', (c) => c.notNull())
      .addColumn('attributes', 'jsonb', (c) => c.notNull())
      .addColumn('time_zone', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contacts_tenant_newest').ifNotExists().on('contacts').columns(['tenant_id', 'created_at desc', 'contact_id']).execute();
    await db.schema.createIndex('contacts_tenant_phone').ifNotExists().on('contacts').columns(['tenant_id', 'phone']).execute();
    await db.schema
      .createTable('contact_lists')
      .ifNotExists()
      .addColumn('list_id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contact_lists_tenant').ifNotExists().on('contact_lists').columns(['tenant_id', 'created_at desc']).execute();
    await db.schema
      .createTable('contact_list_members')
      .ifNotExists()
      .addColumn('list_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('added_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_list_members_pk', ['list_id', 'contact_id'])
      .execute();
    await db.schema.createIndex('contact_list_members_contact').ifNotExists().on('contact_list_members').columns(['contact_id']).execute();
  },

  async reset(trx: Transaction<any>) {
    for (const table of ['contact_list_members', 'contact_lists', 'contacts', BOOKS]) await trx.deleteFrom(table).execute();
  },

  accepts: (event: RecordedEvent) => categoryOf(event.streamName) === 'contactbook' && isContactEventType(event.type),

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
    const applied = new Map<string, number>();
    for (const event of events) {
      const tenantId = idOf(event.streamName);
      const revision = Number(event.streamRevision);
      if (!applied.has(tenantId)) {
        const row = await trx.selectFrom(BOOKS).select('last_revision').where('tenant_id', '=', tenantId).executeTakeFirst();
        applied.set(tenantId, row ? Number(row.last_revision) : -1);
      }
      if (revision <= applied.get(tenantId)!) continue;
      await applyOne(trx, tenantId, event as unknown as ContactEvent);
      applied.set(tenantId, revision);
    }
    for (const [tenantId, revision] of applied) {
      await trx
        .insertInto(BOOKS)
        .values({ tenant_id: tenantId, last_revision: revision })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ last_revision: revision }))
        .execute();
    }
  },
};

/** Postgres allows 65535 parameters a statement; 11 a row leaves room for 5000 rows. */
const ROWS_PER_INSERT = 2000;

function contactColumns(tenantId: string, contact: NewContact, at: string) {
  return {
    contact_id: contact.contactId,
    tenant_id: tenantId,
    phone: contact.phone,
    name: contact.name,
    email: contact.email,
    company: contact.company,
    tags: JSON.stringify(contact.tags),
    attributes: JSON.stringify(contact.attributes),
    time_zone: contact.timeZone,
    created_at: at,
    updated_at: at,
  };
}

async function insertMembers(trx: Transaction<any>, tenantId: string, listId: string, contactIds: readonly string[], at: string) {
  for (let start = 0; start < contactIds.length; start += ROWS_PER_INSERT) {
    const values = contactIds.slice(start, start + ROWS_PER_INSERT).map((contactId) => ({ list_id: listId, contact_id: contactId, tenant_id: tenantId, added_at: at }));
    await trx.insertInto('contact_list_members').values(values).onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing()).execute();
  }
}

async function applyOne(trx: Transaction<any>, tenantId: string, event: ContactEvent): Promise<void> {
  switch (event.type) {
    case 'ContactCreated':
      await trx.insertInto('contacts').values(contactColumns(tenantId, event.data, event.data.createdAt)).onConflict((oc) => oc.column('contact_id').doNothing()).execute();
      return;
    case 'ContactsImported': {
      const { contacts, listId, linkedContactIds, importedAt } = event.data;
      for (let start = 0; start < contacts.length; start += ROWS_PER_INSERT) {
        const values = contacts.slice(start, start + ROWS_PER_INSERT).map((contact) => contactColumns(tenantId, contact, importedAt));
        await trx.insertInto('contacts').values(values).onConflict((oc) => oc.column('contact_id').doNothing()).execute();
      }
      if (listId !== null) await insertMembers(trx, tenantId, listId, [...contacts.map((c) => c.contactId), ...linkedContactIds], importedAt);
      return;
    }
    case 'ContactUpdated': {
      const { changes } = event.data;
      const set: Record<string, unknown> = { updated_at: event.data.updatedAt };
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.phone !== undefined) set.phone = changes.phone;
      if (changes.email !== undefined) set.email = changes.email;
      if (changes.company !== undefined) set.company = changes.company;
      if (changes.tags !== undefined) set.tags = JSON.stringify(changes.tags);
      if (changes.attributes !== undefined) set.attributes = JSON.stringify(changes.attributes);
      if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
      await trx.updateTable('contacts').set(set).where('contact_id', '=', event.data.contactId).execute();
      return;
    }
    case 'ContactDeleted':
      await trx.deleteFrom('contact_list_members').where('contact_id', '=', event.data.contactId).execute();
      await trx.deleteFrom('contacts').where('contact_id', '=', event.data.contactId).execute();
      return;
    case 'ContactListCreated':
      await trx
        .insertInto('contact_lists')
        .values({ list_id: event.data.listId, tenant_id: tenantId, name: event.data.name, description: event.data.description, created_at: event.data.createdAt })
        .onConflict((oc) => oc.column('list_id').doNothing())
        .execute();
      return;
    case 'ContactsAddedToList':
      await insertMembers(trx, tenantId, event.data.listId, event.data.contactIds, event.data.addedAt);
      return;
    case 'ContactRemovedFromList':
      await trx.deleteFrom('contact_list_members').where('list_id', '=', event.data.listId).where('contact_id', '=', event.data.contactId).execute();
      return;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
