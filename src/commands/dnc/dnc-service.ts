import type { EventStore } from '../../adapters/eventstore/port.ts';
import {
  CURRENT_DNC_SCHEMA_VERSION,
  dncEntryNotFound,
  dncEventSchemas,
  dncListDecider,
  type DncCommand,
  type DncEvent,
  type DncImportedEntry,
  type DncListState,
} from '../../domain/dnc/index.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { toE164 } from '../../domain/shared/phone.ts';
import { dncStream, operatorDncStream } from '../../domain/shared/streams.ts';
import { CachedAggregate } from '../billing/cached-aggregate.ts';
import type { AccountSettings } from '../calls/call-service.ts';
import { readCsvContacts, type CsvLimits, type CsvRowError } from '../contacts/csv-contacts.ts';
import type { CommandContext } from '../decider.ts';
import { zodCodec } from '../zod-codec.ts';
import type { DncOptOut, OptOutRecord } from './port.ts';

/** Whose list a command goes to: a tenant's own, or the operator's (no tenant). */
export type DncOwner = { readonly scope: 'tenant'; readonly tenantId: string } | { readonly scope: 'operator' };

export type DncCaller = {
  readonly owner: DncOwner;
  readonly actor: string;
  readonly correlationId: string;
  readonly requestId: string;
};

export type DncImportSettings = {
  readonly csv: CsvLimits;
  /** Entries per DncEntriesImported event: one append each. */
  readonly chunkRows: number;
  /** A chunk also ends before its JSON passes this size (EventStoreDB refuses appends over 1 MB). */
  readonly chunkBytes: number;
  /** How the operator's national numbers are read: the operator has no account and no country of its own. */
  readonly operatorCountry: string;
};

export type DncImportOutcome = {
  importId: string;
  imported: number;
  /** Valid rows already on the list: not listed again. */
  duplicatesExisting: number;
  rejected: number;
  errors: CsvRowError[];
  position: GlobalPosition | null;
};

/** Looks up whether the operator lists a number, to tell a tenant 403 rather than 404 on removal. */
export type OperatorListed = (phone: string) => Promise<boolean>;

export const dncCodec = zodCodec<DncEvent>(dncEventSchemas, CURRENT_DNC_SCHEMA_VERSION);

/** The tenant metadata of the operator list's events: it belongs to no tenant. */
export const OPERATOR_DNC_TENANT = 'operator';

export function operatorDncEntry(phone: string): DomainError {
  return new DomainError('DNC_ENTRY_OPERATOR_WIDE', 'The number is on the operator-wide do-not-call list; only the operator can remove it.', {
    phone,
    scope: 'operator',
  });
}

/**
 * The do-not-call use cases, each one command to one list's stream. A list's folded state (the
 * set of its numbers) is cached and commands to it are queued in this process (CachedAggregate);
 * the expected revision still guards against other processes.
 */
export class DncService implements DncOptOut {
  private readonly lists: CachedAggregate<DncListState, DncCommand, DncEvent>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
    private readonly accounts: AccountSettings,
    private readonly operatorListed: OperatorListed,
    readonly settings: DncImportSettings,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    this.lists = new CachedAggregate(store, dncListDecider, dncCodec, { cacheSize: 100 });
  }

  /** The number as the owner's lists store it: E.164, national numbers read in the account's country. */
  async normalise(owner: DncOwner, raw: string): Promise<string> {
    return toE164(raw, await this.countryOf(owner));
  }

  async add(caller: DncCaller, input: { phone: string; reason: string | null }): Promise<{ phone: string; position: GlobalPosition | null }> {
    const phone = await this.normalise(caller.owner, input.phone);
    const scope = caller.owner.scope;
    const result = await this.run(caller, (at) => ({ type: 'AddDncEntry', data: { phone, scope, reason: input.reason, source: 'api', callId: null, at } }));
    return { phone, position: result.position };
  }

  async recordOptOut(record: OptOutRecord): Promise<{ position: GlobalPosition | null }> {
    const caller: DncCaller = {
      owner: { scope: 'tenant', tenantId: record.tenantId },
      actor: record.actor,
      correlationId: record.correlationId,
      requestId: record.causationId,
    };
    const { phone, callId, reason } = record;
    const result = await this.run(caller, (at) => ({ type: 'AddDncEntry', data: { phone, scope: 'tenant', reason, source: 'keypress', callId, at } }));
    return { position: result.position };
  }

  /** A tenant asking to remove a number only the operator lists is told so (403), not 404. */
  async remove(caller: DncCaller, input: { phone: string; reason: string | null }): Promise<{ phone: string; position: GlobalPosition | null }> {
    const phone = await this.normalise(caller.owner, input.phone);
    const { owner } = caller;
    if (owner.scope === 'tenant') {
      const { state } = await this.lists.load(dncStream(owner.tenantId));
      if (!state.listed.has(phone)) throw (await this.operatorListed(phone)) ? operatorDncEntry(phone) : dncEntryNotFound(phone);
    }
    const result = await this.run(caller, (at) => ({ type: 'RemoveDncEntry', data: { phone, scope: owner.scope, reason: input.reason, at } }));
    return { phone, position: result.position };
  }

  /**
   * Same parser and per-row report as the contacts import (readCsvContacts): the whole file is
   * checked first, so a refused file writes nothing; then one DncEntriesImported per chunk. A
   * `reason` column gives a row its reason, else the upload's `reason` field does.
   */
  async importCsv(caller: DncCaller, file: Uint8Array, defaultReason: string | null): Promise<DncImportOutcome> {
    const parsed = await readCsvContacts(file, { defaultCountry: await this.countryOf(caller.owner), limits: this.settings.csv });
    const importId = this.newId();
    const outcome: DncImportOutcome = { importId, imported: 0, duplicatesExisting: 0, rejected: parsed.rejected, errors: parsed.errors, position: null };
    const entries = parsed.rows.map((row): DncImportedEntry => ({ phone: row.phone, reason: reasonOf(row.attributes) ?? defaultReason }));
    const scope = caller.owner.scope;
    for (const rows of this.chunks(entries)) {
      const result = await this.run(caller, (at) => ({ type: 'ImportDncEntries', data: { importId, scope, rows, at } }));
      const added = result.appended.reduce((sum, event) => sum + (event.type === 'DncEntriesImported' ? event.data.entries.length : 0), 0);
      outcome.imported += added;
      outcome.duplicatesExisting += rows.length - added;
      outcome.position = result.position ?? outcome.position;
    }
    return outcome;
  }

  private *chunks(entries: readonly DncImportedEntry[]): Generator<DncImportedEntry[]> {
    let chunk: DncImportedEntry[] = [];
    let bytes = 0;
    for (const entry of entries) {
      // An entry's JSON is its number, its reason and a little punctuation.
      const size = entry.phone.length + (entry.reason?.length ?? 4) + 32;
      if (chunk.length > 0 && (chunk.length >= this.settings.chunkRows || bytes + size > this.settings.chunkBytes)) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(entry);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  private run(caller: DncCaller, command: (at: string) => DncCommand) {
    const now = this.clock.now();
    const { owner } = caller;
    const context: CommandContext = {
      now,
      tenantId: owner.scope === 'tenant' ? owner.tenantId : OPERATOR_DNC_TENANT,
      actor: caller.actor,
      correlationId: caller.correlationId,
      causationId: caller.requestId,
    };
    const stream = owner.scope === 'tenant' ? dncStream(owner.tenantId) : operatorDncStream();
    return this.lists.handle(stream, command(now.toISOString()), context);
  }

  private async countryOf(owner: DncOwner): Promise<string> {
    if (owner.scope === 'operator') return this.settings.operatorCountry;
    const settings = await this.accounts.settingsOf(owner.tenantId);
    if (!settings) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'The account behind this key no longer exists.');
    return settings.defaultCountry;
  }
}

const REASON_MAX = 500;

/** The row's `reason` column, whatever its header's case. */
function reasonOf(attributes: Readonly<Record<string, string>>): string | null {
  for (const [key, value] of Object.entries(attributes)) {
    if (key.trim().toLowerCase() === 'reason' && value.trim() !== '') return value.trim().slice(0, REASON_MAX);
  }
  return null;
}
