import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { EventStore } from '../adapters/eventstore/port.ts';
import type { AccountSettings } from '../commands/calls/call-service.ts';
import { ContactService, type ContactCaller, type ContactImportSettings } from '../commands/contacts/contact-service.ts';
import { contactListNotFound, contactNotFound } from '../domain/contact/index.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { GlobalPosition } from '../domain/shared/messages.ts';
import type { ContactsDependencies } from '../http/contacts-dependencies.ts';
import type { RequestContext } from '../http/dependencies.ts';
import { ContactQueries } from '../projections/contacts/queries.ts';
import { ConfigError, type EngineConfig } from './config.ts';

/** Read by src/app/settings.ts, which checks every setting at start. */
export const schema = z.object({
  CONTACT_IMPORT_MAX_BYTES: z.coerce.number().int().min(1).max(1024 * 1024 * 1024).default(20 * 1024 * 1024),
  CONTACT_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(200_000),
  CONTACT_IMPORT_MAX_ERRORS: z.coerce.number().int().min(0).max(100_000).default(100),
  CONTACT_IMPORT_CHUNK_ROWS: z.coerce.number().int().min(1).max(5000).default(1000),
});

export function loadContactImportSettings(config: Pick<EngineConfig, 'env'>): ContactImportSettings {
  const parsed = schema.safeParse(config.env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const c = parsed.data;
  return {
    csv: { maxBytes: c.CONTACT_IMPORT_MAX_BYTES, maxRows: c.CONTACT_IMPORT_MAX_ROWS, maxErrors: c.CONTACT_IMPORT_MAX_ERRORS },
    chunkRows: c.CONTACT_IMPORT_CHUNK_ROWS,
    chunkBytes: 512 * 1024,
  };
}

export type ContactsFeatureOptions = {
  readonly config: EngineConfig;
  readonly store: EventStore;
  readonly db: Kysely<any>;
  readonly clock: Clock;
  readonly accounts: AccountSettings;
  /** Resolves once the read models include `position`: a write is answered with what a read will show. */
  readonly waitFor: (position: GlobalPosition | null) => Promise<void>;
};

/** Contacts and contact lists, wired: the address-book commands, their read model, and the HTTP side. */
export class ContactsFeature {
  readonly service: ContactService;
  readonly queries: ContactQueries;

  constructor(private readonly options: ContactsFeatureOptions) {
    this.service = new ContactService(options.store, options.clock, options.accounts, loadContactImportSettings(options.config));
    this.queries = new ContactQueries(options.db);
  }

  http(): { contacts: ContactsDependencies } {
    const { service, queries } = this;
    const waitFor = this.options.waitFor;
    const caller = (ctx: RequestContext): ContactCaller => ({
      tenantId: ctx.principal.tenantId,
      actor: ctx.principal.actor,
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
    });
    const contactAfter = async (ctx: RequestContext, contactId: string, position: GlobalPosition | null) => {
      await waitFor(position);
      const found = await queries.get(ctx.principal.tenantId, contactId);
      if (!found) throw contactNotFound(contactId);
      return found;
    };
    const listAfter = async (ctx: RequestContext, listId: string, position: GlobalPosition | null) => {
      await waitFor(position);
      const found = await queries.getList(ctx.principal.tenantId, listId.toLowerCase(), { page: 1, perPage: 1 });
      if (!found) throw contactListNotFound(listId);
      return found.list;
    };
    return {
      contacts: {
        maxImportBytes: service.settings.csv.maxBytes,
        create: async (ctx, fields) => {
          const { contactId, position } = await service.create(caller(ctx), fields);
          return contactAfter(ctx, contactId, position);
        },
        list: (tenantId, query) => queries.list(tenantId, query),
        get: (tenantId, contactId) => queries.get(tenantId, contactId),
        update: async (ctx, contactId, changes) => contactAfter(ctx, contactId.toLowerCase(), await service.update(caller(ctx), contactId, changes)),
        delete: async (ctx, contactId) => void (await waitFor(await service.delete(caller(ctx), contactId))),
        callsOf: (tenantId, contactId, page) => queries.callsOf(tenantId, contactId, page),
        importCsv: async (ctx, file, listId) => {
          const outcome = await service.importCsv(caller(ctx), file, listId);
          // The import is in the log either way; a large one may take the read model longer than
          // the wait, and the client should still hear what was imported rather than an error.
          await waitFor(outcome.position).catch(() => undefined);
          return outcome;
        },
        previewCsv: (ctx, file, listId) => service.previewCsv(caller(ctx), file, listId),
        createList: async (ctx, fields) => {
          const { listId, position } = await service.createList(caller(ctx), fields);
          return listAfter(ctx, listId, position);
        },
        lists: (tenantId, page) => queries.lists(tenantId, page),
        getList: (tenantId, listId, page) => queries.getList(tenantId, listId, page),
        addToList: async (ctx, listId, contactIds) => listAfter(ctx, listId, await service.addToList(caller(ctx), listId, contactIds)),
        removeFromList: async (ctx, listId, contactId) => void (await waitFor(await service.removeFromList(caller(ctx), listId, contactId))),
        hasList: (tenantId, listId) => service.hasList(tenantId, listId),
      },
    };
  }
}
