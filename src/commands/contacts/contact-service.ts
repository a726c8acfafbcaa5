import type { EventStore } from '../../adapters/eventstore/port.ts';
import {
  contactBookDecider,
  contactEventSchemas,
  contactListNotFound,
  contactNotFound,
  CURRENT_CONTACT_SCHEMA_VERSION,
  type ContactBookState,
  type ContactCommand,
  type ContactEvent,
  type ContactProfile,
  type NewContact,
} from '../../domain/contact/index.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { toE164 } from '../../domain/shared/phone.ts';
import { contactBookStream } from '../../domain/shared/streams.ts';
import { CachedAggregate } from '../billing/cached-aggregate.ts';
import type { AccountSettings } from '../calls/call-service.ts';
import type { CommandContext } from '../decider.ts';
import { zodCodec } from '../zod-codec.ts';
import { DEFAULT_CSV_LIMITS, readCsvContacts, type CsvLimits, type CsvRowError } from './csv-contacts.ts';

export type ContactCaller = {
  readonly tenantId: string;
  readonly actor: string;
  readonly correlationId: string;
  readonly requestId: string;
};

/** A contact as the API gives it; the phone is not yet normalised. */
export type ContactInput = ContactProfile;

export type ImportOutcome = {
  importId: string;
  listId: string | null;
  imported: number;
  /** Rows whose number was already a contact: linked to the list (if any), not created again. */
  duplicatesExisting: number;
  rejected: number;
  errors: CsvRowError[];
  position: GlobalPosition | null;
};

/** What an import would do: an ImportOutcome with nothing written, so no import id and no position. */
export type ImportPreview = Omit<ImportOutcome, 'importId' | 'position'> & { importId: null };

/** A placeholder import id for decisions that are never appended. */
const IMPORT_PREVIEW_ID = '00000000-0000-4000-8000-000000000000';

/** How many contacts a decided import creates (the rest were already in the book). */
const createdBy = (events: readonly ContactEvent[]): number =>
  events.reduce((sum, event) => sum + (event.type === 'ContactsImported' ? event.data.contacts.length : 0), 0);

export type ContactImportSettings = {
  readonly csv: CsvLimits;
  /** Rows per ContactsImported event: one append each. */
  readonly chunkRows: number;
  /** A chunk also ends before its JSON passes this size (EventStoreDB refuses appends over 1 MB). */
  readonly chunkBytes: number;
};

export const DEFAULT_IMPORT_SETTINGS: ContactImportSettings = { csv: DEFAULT_CSV_LIMITS, chunkRows: 1000, chunkBytes: 512 * 1024 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id reads like an unknown one. */
export function parseContactId(raw: unknown): string | null {
  return typeof raw === 'string' && UUID.test(raw) ? raw.toLowerCase() : null;
}

export const contactCodec = zodCodec<ContactEvent>(contactEventSchemas, CURRENT_CONTACT_SCHEMA_VERSION);

/**
 * The contacts use cases, each one command to the tenant's address book stream. The book's
 * folded state is cached and commands to one book are queued in this process (CachedAggregate);
 * the expected revision still guards against other processes, so a number stays unique.
 */
export class ContactService {
  private readonly book: CachedAggregate<ContactBookState, ContactCommand, ContactEvent>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
    private readonly accounts: AccountSettings,
    readonly settings: ContactImportSettings = DEFAULT_IMPORT_SETTINGS,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    // Few tenants import at once; each cached book holds its numbers.
    this.book = new CachedAggregate(store, contactBookDecider, contactCodec, { cacheSize: 100 });
  }

  async create(caller: ContactCaller, input: ContactInput): Promise<{ contactId: string; position: GlobalPosition | null }> {
    const defaultCountry = await this.defaultCountryOf(caller.tenantId);
    const contactId = this.newId();
    const contact: NewContact = { ...input, contactId, phone: toE164(input.phone, defaultCountry) };
    const result = await this.run(caller, (at) => ({ type: 'CreateContact', data: { contact, at } }));
    return { contactId, position: result.position };
  }

  async update(caller: ContactCaller, rawId: string, changes: Partial<ContactInput>): Promise<GlobalPosition | null> {
    const contactId = this.requireId(rawId, contactNotFound);
    const normalised: Partial<ContactProfile> = { ...changes };
    if (changes.phone !== undefined) normalised.phone = toE164(changes.phone, await this.defaultCountryOf(caller.tenantId));
    return (await this.run(caller, (at) => ({ type: 'UpdateContact', data: { contactId, changes: normalised, at } }))).position;
  }

  async delete(caller: ContactCaller, rawId: string): Promise<GlobalPosition | null> {
    const contactId = this.requireId(rawId, contactNotFound);
    return (await this.run(caller, (at) => ({ type: 'DeleteContact', data: { contactId, at } }))).position;
  }

  async createList(caller: ContactCaller, input: { name: string; description: string | null }): Promise<{ listId: string; position: GlobalPosition | null }> {
    const listId = this.newId();
    const result = await this.run(caller, (at) => ({ type: 'CreateContactList', data: { listId, ...input, at } }));
    return { listId, position: result.position };
  }

  async addToList(caller: ContactCaller, rawListId: string, rawContactIds: readonly string[]): Promise<GlobalPosition | null> {
    const listId = this.requireId(rawListId, contactListNotFound);
    const malformed = rawContactIds.filter((id) => parseContactId(id) === null);
    if (malformed.length > 0) {
      throw new NotFoundError('CONTACT_NOT_FOUND', 'Some of these contacts do not exist in your account.', { field: 'contact_ids', contact_ids: malformed });
    }
    const contactIds = rawContactIds.map((id) => id.toLowerCase());
    return (await this.run(caller, (at) => ({ type: 'AddContactsToList', data: { listId, contactIds, at } }))).position;
  }

  async removeFromList(caller: ContactCaller, rawListId: string, rawContactId: string): Promise<GlobalPosition | null> {
    const listId = this.requireId(rawListId, contactListNotFound);
    const contactId = this.requireId(rawContactId, contactNotFound);
    return (await this.run(caller, (at) => ({ type: 'RemoveContactFromList', data: { listId, contactId, at } }))).position;
  }

  /** Whether a list exists in the tenant's book, from the log (a list made a moment ago counts). */
  async hasList(tenantId: string, rawListId: string): Promise<boolean> {
    const listId = parseContactId(rawListId);
    if (listId === null) return false;
    const { state } = await this.book.load(contactBookStream(tenantId));
    return state.lists.has(listId);
  }

  /**
   * The whole file is parsed and checked first, so a refused file writes nothing. Then the rows go
   * in chunks: one ContactsImported event, one append, per chunk. Each chunk is decided against the
   * book as it is then, so a number created meanwhile is linked instead of duplicated.
   */
  async importCsv(caller: ContactCaller, file: Uint8Array, rawListId: string | null): Promise<ImportOutcome> {
    const listId = await this.importTarget(caller, rawListId);
    const parsed = await this.parse(caller, file);
    return this.importParsed(caller, parsed, listId);
  }

  /**
   * A dry run of importCsv: the same checks and the same per-row report, each chunk decided against
   * the book as it is now (and as the chunks before would leave it), and nothing appended. A number
   * another request creates meanwhile may still turn an `imported` row into a duplicate later.
   */
  async previewCsv(caller: ContactCaller, file: Uint8Array, rawListId: string | null): Promise<ImportPreview> {
    const listId = await this.importTarget(caller, rawListId);
    return this.previewParsed(caller.tenantId, await this.parse(caller, file), listId);
  }

  /** The dry run of importCsvAsNewList: every row the file would put on the campaign's new list. */
  async previewCsvAsNewList(caller: ContactCaller, file: Uint8Array): Promise<ImportPreview> {
    // The new list does not exist yet; linking to it changes no count, so the rows are decided without one.
    return this.previewParsed(caller.tenantId, await this.parse(caller, file), null);
  }

  private async importTarget(caller: ContactCaller, rawListId: string | null): Promise<string | null> {
    const listId = rawListId === null ? null : this.requireId(rawListId, contactListNotFound);
    if (listId !== null && !(await this.hasList(caller.tenantId, listId))) throw contactListNotFound(listId);
    return listId;
  }

  private async previewParsed(tenantId: string, parsed: Awaited<ReturnType<typeof readCsvContacts>>, listId: string | null): Promise<ImportPreview> {
    // The cached book itself: evolving it would change it in place, so it is only ever decided
    // against, and the numbers earlier chunks would create are kept aside instead.
    const { state } = await this.book.load(contactBookStream(tenantId));
    const at = this.clock.now().toISOString();
    const preview: ImportPreview = { importId: null, listId, imported: 0, duplicatesExisting: 0, rejected: parsed.rejected, errors: parsed.errors };
    const createdEarlier = new Set<string>();
    for (const chunk of this.chunks(parsed.rows.map((row) => this.contactFromRow(row)))) {
      const rows = chunk.filter((row) => !createdEarlier.has(row.phone));
      const decided = rows.length === 0 ? [] : contactBookDecider.decide({ type: 'ImportContacts', data: { importId: IMPORT_PREVIEW_ID, listId, rows, at } }, state);
      for (const event of decided) if (event.type === 'ContactsImported') for (const contact of event.data.contacts) createdEarlier.add(contact.phone);
      const created = createdBy(decided);
      preview.imported += created;
      preview.duplicatesExisting += chunk.length - created;
    }
    return preview;
  }

  /**
   * A campaign's own upload (ZensCall): the file is checked first, and only a file that passes makes
   * the list its rows go into, so a refused upload leaves no empty list behind.
   */
  async importCsvAsNewList(caller: ContactCaller, file: Uint8Array, list: { name: string; description: string | null }): Promise<ImportOutcome & { listId: string }> {
    const parsed = await this.parse(caller, file);
    const { listId } = await this.createList(caller, list);
    return { ...(await this.importParsed(caller, parsed, listId)), listId };
  }

  private async parse(caller: ContactCaller, file: Uint8Array) {
    const defaultCountry = await this.defaultCountryOf(caller.tenantId);
    return readCsvContacts(file, { defaultCountry, limits: this.settings.csv });
  }

  private async importParsed(caller: ContactCaller, parsed: Awaited<ReturnType<typeof readCsvContacts>>, listId: string | null): Promise<ImportOutcome> {
    const importId = this.newId();
    const outcome: ImportOutcome = {
      importId,
      listId,
      imported: 0,
      duplicatesExisting: 0,
      rejected: parsed.rejected,
      errors: parsed.errors,
      position: null,
    };
    for (const rows of this.chunks(parsed.rows.map((row) => this.contactFromRow(row)))) {
      const result = await this.run(caller, (at) => ({ type: 'ImportContacts', data: { importId, listId, rows, at } }));
      const created = createdBy(result.appended);
      outcome.imported += created;
      outcome.duplicatesExisting += rows.length - created;
      outcome.position = result.position ?? outcome.position;
    }
    return outcome;
  }

  private contactFromRow(row: Awaited<ReturnType<typeof readCsvContacts>>['rows'][number]): NewContact {
    return {
      contactId: this.newId(),
      // A row without a name is still someone to call; the number stands in for the name.
      name: row.name ?? row.phone,
      phone: row.phone,
      email: row.email,
      company: row.company,
      tags: row.tags,
      attributes: row.attributes,
      timeZone: row.timeZone,
    };
  }

  private *chunks(contacts: readonly NewContact[]): Generator<NewContact[]> {
    let chunk: NewContact[] = [];
    let bytes = 0;
    for (const contact of contacts) {
      const size = JSON.stringify(contact).length;
      if (chunk.length > 0 && (chunk.length >= this.settings.chunkRows || bytes + size > this.settings.chunkBytes)) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(contact);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  private run(caller: ContactCaller, command: (at: string) => ContactCommand) {
    const now = this.clock.now();
    const context: CommandContext = {
      now,
      tenantId: caller.tenantId,
      actor: caller.actor,
      correlationId: caller.correlationId,
      causationId: caller.requestId,
    };
    return this.book.handle(contactBookStream(caller.tenantId), command(now.toISOString()), context);
  }

  private requireId(raw: string, notFound: (id: string) => NotFoundError): string {
    const id = parseContactId(raw);
    if (id === null) throw notFound(String(raw));
    return id;
  }

  private async defaultCountryOf(tenantId: string): Promise<string> {
    const settings = await this.accounts.settingsOf(tenantId);
    if (!settings) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'The account behind this key no longer exists.');
    return settings.defaultCountry;
  }
}
