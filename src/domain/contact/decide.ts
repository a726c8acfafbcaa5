import { parsedEvent } from '../shared/checked-event.ts';
import { DomainError, NotFoundError } from '../shared/errors.ts';
import type {
  AddContactsToList,
  ContactCommand,
  CreateContact,
  CreateContactList,
  DeleteContact,
  ImportContacts,
  RemoveContactFromList,
  UpdateContact,
} from './commands.ts';
import { contactEventSchemas, type ContactEvent, type ContactEventOf, type ContactEventType, type NewContact } from './events.ts';
import type { ContactBookState } from './state.ts';

/**
 * | command               | refused when                                         | otherwise                          |
 * |-----------------------|------------------------------------------------------|------------------------------------|
 * | CreateContact         | the number is taken → CONTACT_ALREADY_EXISTS (409)   | ContactCreated                     |
 * | ImportContacts        | the list is unknown → 404                            | ContactsImported (new + linked); [] when nothing changes |
 * | UpdateContact         | unknown contact → 404; number taken → 409            | ContactUpdated; [] without changes |
 * | DeleteContact         | unknown contact → 404                                | ContactDeleted                     |
 * | CreateContactList     | the id exists → CONTACT_LIST_ALREADY_EXISTS (409)    | ContactListCreated                 |
 * | AddContactsToList     | unknown list or contact → 404                        | ContactsAddedToList; [] when all are members |
 * | RemoveContactFromList | unknown list, or the contact is not on it → 404      | ContactRemovedFromList             |
 */
export function decideContactBook(command: ContactCommand, state: ContactBookState): ContactEvent[] {
  switch (command.type) {
    case 'CreateContact':
      return create(command, state);
    case 'ImportContacts':
      return importRows(command, state);
    case 'UpdateContact':
      return update(command, state);
    case 'DeleteContact':
      return remove(command, state);
    case 'CreateContactList':
      return createList(command, state);
    case 'AddContactsToList':
      return addToList(command, state);
    case 'RemoveContactFromList':
      return removeFromList(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown contact command: ${JSON.stringify(unhandled)}`);
    }
  }
}

export function contactNotFound(contactId: string): NotFoundError {
  return new NotFoundError('CONTACT_NOT_FOUND', 'No contact with this id exists in your account.', { contact_id: contactId });
}

export function contactListNotFound(listId: string): NotFoundError {
  return new NotFoundError('CONTACT_LIST_NOT_FOUND', 'No contact list with this id exists in your account.', { list_id: listId });
}

export function phoneTaken(phone: string, existingId: string): DomainError {
  return new DomainError('CONTACT_ALREADY_EXISTS', `A contact with the number ${phone} already exists.`, {
    field: 'phone',
    phone,
    contact_id: existingId,
  });
}

function emit<K extends ContactEventType>(type: K, data: ContactEventOf<K>['data']): ContactEventOf<K> {
  return parsedEvent(contactEventSchemas[type], type, data) as ContactEventOf<K>;
}

function create(command: CreateContact, state: ContactBookState): ContactEvent[] {
  const { contact, at } = command.data;
  const existing = state.phones.get(contact.phone);
  if (existing !== undefined) throw phoneTaken(contact.phone, existing);
  if (state.contacts.has(contact.contactId)) throw new DomainError('CONTACT_ID_IN_USE', 'This contact id is taken.', { contact_id: contact.contactId });
  return [emit('ContactCreated', { ...contact, createdAt: at })];
}

function importRows(command: ImportContacts, state: ContactBookState): ContactEvent[] {
  const { importId, listId, rows, at } = command.data;
  const members = listId === null ? null : state.lists.get(listId);
  if (members === undefined) throw contactListNotFound(listId!);
  const fresh: NewContact[] = [];
  const linked = new Set<string>();
  // A number repeated inside one chunk is one contact; the service usually removes repeats first.
  const seen = new Map<string, string>();
  for (const row of rows) {
    const existing = state.phones.get(row.phone) ?? seen.get(row.phone);
    if (existing === undefined) {
      fresh.push(row);
      seen.set(row.phone, row.contactId);
    } else if (members && !members.has(existing) && !seen.has(row.phone)) {
      linked.add(existing);
    }
  }
  if (fresh.length === 0 && linked.size === 0) return [];
  return [emit('ContactsImported', { importId, listId, contacts: fresh, linkedContactIds: [...linked], importedAt: at })];
}

function update(command: UpdateContact, state: ContactBookState): ContactEvent[] {
  const { contactId, changes, at } = command.data;
  const current = state.contacts.get(contactId);
  if (current === undefined) throw contactNotFound(contactId);
  if (changes.phone !== undefined && changes.phone !== current) {
    const holder = state.phones.get(changes.phone);
    if (holder !== undefined && holder !== contactId) throw phoneTaken(changes.phone, holder);
  }
  const effective = Object.fromEntries(Object.entries(changes).filter(([field, value]) => value !== undefined && !(field === 'phone' && value === current)));
  if (Object.keys(effective).length === 0) return [];
  return [emit('ContactUpdated', { contactId, changes: effective, updatedAt: at })];
}

function remove(command: DeleteContact, state: ContactBookState): ContactEvent[] {
  const { contactId, at } = command.data;
  const phone = state.contacts.get(contactId);
  if (phone === undefined) throw contactNotFound(contactId);
  return [emit('ContactDeleted', { contactId, phone, deletedAt: at })];
}

function createList(command: CreateContactList, state: ContactBookState): ContactEvent[] {
  const { listId, name, description, at } = command.data;
  if (state.lists.has(listId)) throw new DomainError('CONTACT_LIST_ALREADY_EXISTS', 'This list id is taken.', { list_id: listId });
  return [emit('ContactListCreated', { listId, name, description, createdAt: at })];
}

function addToList(command: AddContactsToList, state: ContactBookState): ContactEvent[] {
  const { listId, contactIds, at } = command.data;
  const members = state.lists.get(listId);
  if (!members) throw contactListNotFound(listId);
  const unknown = contactIds.filter((id) => !state.contacts.has(id));
  if (unknown.length > 0) {
    throw new NotFoundError('CONTACT_NOT_FOUND', 'Some of these contacts do not exist in your account.', { field: 'contact_ids', contact_ids: unknown });
  }
  const added = [...new Set(contactIds)].filter((id) => !members.has(id));
  if (added.length === 0) return [];
  return [emit('ContactsAddedToList', { listId, contactIds: added, addedAt: at })];
}

function removeFromList(command: RemoveContactFromList, state: ContactBookState): ContactEvent[] {
  const { listId, contactId, at } = command.data;
  const members = state.lists.get(listId);
  if (!members) throw contactListNotFound(listId);
  if (!members.has(contactId)) {
    throw new NotFoundError('CONTACT_NOT_IN_LIST', 'This contact is not on the list.', { list_id: listId, contact_id: contactId });
  }
  return [emit('ContactRemovedFromList', { listId, contactId, removedAt: at })];
}
