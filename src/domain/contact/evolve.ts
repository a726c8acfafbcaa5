import { isContactEventType, type ContactEvent } from './events.ts';
import type { ContactBookState } from './state.ts';

/**
 * Folds one event into the book, in place (see state.ts for why), and returns it.
 * Unknown event types are skipped: a stream must always load.
 */
export function evolveContactBook(state: ContactBookState, event: { readonly type: string; readonly data: unknown }): ContactBookState {
  if (!isContactEventType(event.type)) return state;
  const known = event as ContactEvent;
  switch (known.type) {
    case 'ContactCreated':
      take(state, known.data.contactId, known.data.phone);
      return state;
    case 'ContactsImported': {
      for (const contact of known.data.contacts) take(state, contact.contactId, contact.phone);
      const members = known.data.listId === null ? undefined : state.lists.get(known.data.listId);
      if (members) {
        for (const contact of known.data.contacts) members.add(contact.contactId);
        for (const contactId of known.data.linkedContactIds) members.add(contactId);
      }
      return state;
    }
    case 'ContactUpdated': {
      const { contactId, changes } = known.data;
      const before = state.contacts.get(contactId);
      if (before !== undefined && changes.phone !== undefined && changes.phone !== before) {
        state.phones.delete(before);
        take(state, contactId, changes.phone);
      }
      return state;
    }
    case 'ContactDeleted': {
      const phone = state.contacts.get(known.data.contactId);
      if (phone !== undefined) state.phones.delete(phone);
      state.contacts.delete(known.data.contactId);
      for (const members of state.lists.values()) members.delete(known.data.contactId);
      return state;
    }
    case 'ContactListCreated':
      if (!state.lists.has(known.data.listId)) state.lists.set(known.data.listId, new Set());
      return state;
    case 'ContactsAddedToList': {
      const members = state.lists.get(known.data.listId);
      for (const contactId of known.data.contactIds) members?.add(contactId);
      return state;
    }
    case 'ContactRemovedFromList':
      state.lists.get(known.data.listId)?.delete(known.data.contactId);
      return state;
    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}

function take(state: ContactBookState, contactId: string, phone: string): void {
  state.phones.set(phone, contactId);
  state.contacts.set(contactId, phone);
}
