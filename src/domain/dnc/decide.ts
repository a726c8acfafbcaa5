import { parsedEvent } from '../shared/checked-event.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { AddDncEntry, DncCommand, ImportDncEntries, RemoveDncEntry } from './commands.ts';
import { dncEventSchemas, type DncEvent, type DncEventOf, type DncEventType, type DncImportedEntry } from './events.ts';
import type { DncListState } from './state.ts';

/**
 * | command          | refused when                              | otherwise                                      |
 * |------------------|-------------------------------------------|------------------------------------------------|
 * | AddDncEntry      | never                                     | DncEntryAdded; [] when the number is listed,   |
 * |                  |                                           | or the call's keypress opt-out already was     |
 * | ImportDncEntries | never                                     | DncEntriesImported (new numbers); [] when none |
 * | RemoveDncEntry   | not listed → DNC_ENTRY_NOT_FOUND (404)    | DncEntryRemoved                                |
 */
export function decideDncList(command: DncCommand, state: DncListState): DncEvent[] {
  switch (command.type) {
    case 'AddDncEntry':
      return add(command, state);
    case 'ImportDncEntries':
      return importRows(command, state);
    case 'RemoveDncEntry':
      return remove(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown do-not-call command: ${JSON.stringify(unhandled)}`);
    }
  }
}

export function dncEntryNotFound(phone: string): NotFoundError {
  return new NotFoundError('DNC_ENTRY_NOT_FOUND', `The number ${phone} is not on the do-not-call list.`, { phone });
}

function emit<K extends DncEventType>(type: K, data: DncEventOf<K>['data']): DncEventOf<K> {
  return parsedEvent(dncEventSchemas[type], type, data) as DncEventOf<K>;
}

function add(command: AddDncEntry, state: DncListState): DncEvent[] {
  const { phone, scope, reason, source, callId, at } = command.data;
  // Listing a listed number again changes nothing: the first entry (and its reason) stands.
  if (state.listed.has(phone)) return [];
  if (source === 'keypress' && callId !== null && state.optOutCalls.has(callId)) return [];
  return [emit('DncEntryAdded', { phone, scope, reason, source, callId, addedAt: at })];
}

function importRows(command: ImportDncEntries, state: DncListState): DncEvent[] {
  const { importId, scope, rows, at } = command.data;
  const fresh: DncImportedEntry[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (state.listed.has(row.phone) || seen.has(row.phone)) continue;
    seen.add(row.phone);
    fresh.push(row);
  }
  if (fresh.length === 0) return [];
  return [emit('DncEntriesImported', { importId, scope, entries: fresh, importedAt: at })];
}

function remove(command: RemoveDncEntry, state: DncListState): DncEvent[] {
  const { phone, scope, reason, at } = command.data;
  if (!state.listed.has(phone)) throw dncEntryNotFound(phone);
  return [emit('DncEntryRemoved', { phone, scope, reason, removedAt: at })];
}
