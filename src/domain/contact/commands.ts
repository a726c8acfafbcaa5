import type { ContactProfile, NewContact } from './events.ts';

/** Commands to a tenant's address book. `at` comes from the injected clock; deciders never read one. */

export type CreateContact = { readonly type: 'CreateContact'; readonly data: { contact: NewContact; at: string } };

/**
 * One chunk of an import. Rows are already valid and unique within the file; the decider sorts
 * them into new contacts and numbers the book already has.
 */
export type ImportContacts = {
  readonly type: 'ImportContacts';
  readonly data: { importId: string; listId: string | null; rows: readonly NewContact[]; at: string };
};

export type UpdateContact = {
  readonly type: 'UpdateContact';
  readonly data: { contactId: string; changes: Partial<ContactProfile>; at: string };
};

export type DeleteContact = { readonly type: 'DeleteContact'; readonly data: { contactId: string; at: string } };

export type CreateContactList = {
  readonly type: 'CreateContactList';
  readonly data: { listId: string; name: string; description: string | null; at: string };
};

export type AddContactsToList = {
  readonly type: 'AddContactsToList';
  readonly data: { listId: string; contactIds: readonly string[]; at: string };
};

export type RemoveContactFromList = {
  readonly type: 'RemoveContactFromList';
  readonly data: { listId: string; contactId: string; at: string };
};

export type ContactCommand =
  | CreateContact
  | ImportContacts
  | UpdateContact
  | DeleteContact
  | CreateContactList
  | AddContactsToList
  | RemoveContactFromList;
