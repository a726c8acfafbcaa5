import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/adapters/db/database.ts';
import { createEsdbEventStore } from '../../../src/adapters/eventstore/esdb-event-store.ts';
import type { EventStore } from '../../../src/adapters/eventstore/port.ts';
import { createPostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { ContactService, DEFAULT_IMPORT_SETTINGS, type ContactCaller } from '../../../src/commands/contacts/contact-service.ts';
import { systemClock } from '../../../src/domain/shared/clock.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';
import type { GlobalPosition } from '../../../src/domain/shared/messages.ts';
import { contactBookStream } from '../../../src/domain/shared/streams.ts';
import { schemaChecksums } from '../../../src/projections/checksum.ts';
import { contactsProjection } from '../../../src/projections/contacts/projection.ts';
import { ContactQueries } from '../../../src/projections/contacts/queries.ts';
import { currentSchema } from '../../../src/projections/replay/fresh-schema.ts';
import { replay } from '../../../src/projections/replay/replay.ts';
import { ProjectionRunner } from '../../../src/projections/runner.ts';
import { testDatabases } from '../../support/databases.ts';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.ts';

/**
 * The contacts commands against real stores: the import is batched (one append per chunk, not
 * per row), a phone number stays unique when two processes race for it, and a rebuild of the
 * read model from the log gives the same rows.
 */

const accounts = { settingsOf: async () => ({ defaultCountry: 'PK', maxCallDurationSeconds: null }) };
const TABLES = ['contacts', 'contact_lists', 'contact_list_members', 'contact_books'];
const ROWS = 20_000;

/** Counts what reaches the store: appends (each one transaction) and the events in them. */
function counting(store: EventStore) {
  const counts = { appends: 0, events: 0 };
  const wrapped: EventStore = {
    append: (stream, events, expected) => {
      counts.appends++;
      counts.events += events.length;
      return store.append(stream, events, expected);
    },
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribe: (options) => store.subscribe(options),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  return { store: wrapped, counts };
}

const pkNumber = (n: number) => `0300${(1_000_000 + n).toString()}`;

type Backend = { name: string; open(): Promise<{ database: Database; store: EventStore; close(): Promise<void> }> };

const backends: Backend[] = [
  ...testDatabases().map((db) => ({
    name: db.name,
    async open() {
      const database = await db.open();
      const store = await createPostgresEventStore(database);
      return { database, store, close: async () => (await store.close(), await database.close()) };
    },
  })),
  {
    name: 'esdb (wire double)',
    async open() {
      const double: EsdbDouble = await startEsdbDouble();
      const store = createEsdbEventStore(double.url);
      await store.connect();
      const database = await openDatabase({});
      return { database, store, close: async () => (await store.close(), await double.close(), await database.close()) };
    },
  },
];

for (const backend of backends) {
  describe(`contacts on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<Backend['open']>>;
    let runner: ProjectionRunner;
    let counted: ReturnType<typeof counting>;
    let service: ContactService;
    let queries: ContactQueries;
    const caller = (tenantId: string): ContactCaller => ({ tenantId, actor: 'user:test', correlationId: crypto.randomUUID(), requestId: crypto.randomUUID() });
    const settle = (position: GlobalPosition | null) => (position ? runner.waitFor(position, 60_000) : Promise.resolve());

    beforeAll(async () => {
      opened = await backend.open();
      counted = counting(opened.store);
      service = new ContactService(counted.store, systemClock, accounts, { ...DEFAULT_IMPORT_SETTINGS, csv: { ...DEFAULT_IMPORT_SETTINGS.csv } });
      queries = new ContactQueries(opened.database.db);
      runner = new ProjectionRunner(opened.database.db, opened.store, contactsProjection, { liveBatchMs: 5 });
      await runner.start();
    });
    afterAll(async () => {
      await runner?.stop();
      await opened?.close();
    });

    it(`imports ${ROWS} rows in ${ROWS / 1000} appends of 1000 contacts, not ${ROWS} single-event transactions`, async () => {
      const csv = ['phone_number,name,segment', ...Array.from({ length: ROWS }, (_, i) => `${pkNumber(i)},Person ${i},s${i % 7}`)].join('\r\n');
      const before = { ...counted.counts };
      const outcome = await service.importCsv(caller('tenant-bulk'), Buffer.from(csv), null);
      expect(outcome).toMatchObject({ imported: ROWS, duplicatesExisting: 0, rejected: 0 });
      expect(counted.counts.appends - before.appends).toBe(ROWS / 1000);
      expect(counted.counts.events - before.events).toBe(ROWS / 1000);
      const stored = await opened.store.readStream(contactBookStream('tenant-bulk'));
      expect(stored.map((event) => event.type)).toEqual(Array.from({ length: ROWS / 1000 }, () => 'ContactsImported'));

      await settle(outcome.position);
      const page = await queries.list('tenant-bulk', { page: 1, perPage: 5, search: 'Person 19999', tag: null });
      expect(page.rows.map((row) => [row.phone, row.attributes])).toEqual([['+923001019999', { segment: 's0' }]]);
      expect((await queries.list('tenant-bulk', { page: 1, perPage: 1, search: null, tag: null })).total).toBe(ROWS);

      // The same file again: every number is already a contact, nothing is appended.
      const again = await service.importCsv(caller('tenant-bulk'), Buffer.from(csv), null);
      expect(again).toMatchObject({ imported: 0, duplicatesExisting: ROWS });
      expect(counted.counts.appends - before.appends).toBe(ROWS / 1000);
    }, 120_000);

    it('keeps a number unique when two processes (two services, two caches) race to create it', async () => {
      const other = new ContactService(opened.store, systemClock, accounts);
      const input = { name: 'Racer', phone: '03111234567', email: null, company: null, tags: [], attributes: {}, timeZone: null };
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? service : other).create(caller('tenant-race'), input)),
      );
      const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
      const lost = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(7);
      const winner = (won[0] as PromiseFulfilledResult<{ contactId: string }>).value.contactId;
      for (const error of lost) {
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ code: 'CONTACT_ALREADY_EXISTS', details: { contact_id: winner } });
      }

      // An import racing a single create of one of its numbers still yields one contact for it.
      const csv = ['03121234567', ...Array.from({ length: 2500 }, (_, i) => `0313${(1_000_000 + i).toString()}`)].join('\n');
      const [imported, single] = await Promise.allSettled([
        other.importCsv(caller('tenant-race'), Buffer.from(csv), null),
        service.create(caller('tenant-race'), { ...input, phone: '03121234567' }),
      ]);
      const book = await opened.store.readStream(contactBookStream('tenant-race'));
      const phones = book.flatMap((event) => {
        const data = event.data as { phone?: string; contacts?: Array<{ phone: string }> };
        return event.type === 'ContactCreated' ? [data.phone!] : (data.contacts ?? []).map((c) => c.phone);
      });
      expect(phones.filter((phone) => phone === '+923121234567')).toHaveLength(1);
      expect(new Set(phones).size).toBe(phones.length);
      expect(imported.status).toBe('fulfilled');
      if (single.status === 'rejected') expect(single.reason).toMatchObject({ code: 'CONTACT_ALREADY_EXISTS' });
    });

    it('rebuilds the read model from the log with the same rows', async () => {
      const tenant = caller('tenant-rebuild');
      const { listId } = await service.createList(tenant, { name: 'Q1', description: 'first quarter' });
      const a = await service.create(tenant, { name: 'A', phone: '03201234567', email: 'a@example.com', company: 'Acme', tags: ['vip'], attributes: { n: 1 }, timeZone: 'Asia/Karachi' });
      const b = await service.create(tenant, { name: 'B', phone: '03211234567', email: null, company: null, tags: [], attributes: {}, timeZone: null });
      await service.update(tenant, b.contactId, { name: 'B2', phone: '03221234567', tags: ['x'] });
      await service.addToList(tenant, listId, [a.contactId, b.contactId]);
      await service.removeFromList(tenant, listId, a.contactId);
      await service.importCsv(tenant, Buffer.from('phone,name\n03231234567,C\n03221234567,B again\n03241234567,D\n'), listId);
      const d = await service.create(tenant, { name: 'E', phone: '03251234567', email: null, company: null, tags: [], attributes: {}, timeZone: null });
      const last = await service.delete(tenant, d.contactId);
      await settle(last);

      const listed = await queries.getList('tenant-rebuild', listId, { page: 1, perPage: 10 });
      expect(listed?.list.contactCount).toBe(3);
      expect(listed?.contacts.map((c) => c.name).sort()).toEqual(['B2', 'C', 'D']);

      const db = opened.database.db;
      const live = await currentSchema(db);
      const before = await schemaChecksums(db, live, TABLES);
      expect(before.contacts!.rows).toBeGreaterThan(ROWS);
      const result = await replay({ db, store: opened.store, projections: [contactsProjection], now: new Date('2026-11-23T12:00:00Z'), batchSize: 50 });
      expect(result.swapped).toBe(true);
      expect(await schemaChecksums(db, live, TABLES)).toEqual(before);
    }, 120_000);
  });
}
