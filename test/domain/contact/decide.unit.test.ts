import { describe, expect, it } from 'vitest';
import { contactBookDecider, type ContactCommand, type ContactEvent, type NewContact } from '../../../src/domain/contact/index.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';

const at = '2026-11-23T10:00:00.000Z';
const id = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const LIST = id(900);

const contact = (n: number, phone = `+92300${(1_000_000 + n).toString()}`): NewContact => ({
  contactId: id(n),
  name: `Contact ${n}`,
  phone,
  email: null,
  company: null,
  tags: [],
  attributes: {},
  timeZone: null,
});
const create = (n: number, phone?: string): ContactCommand => ({ type: 'CreateContact', data: { contact: contact(n, phone), at } });
const createList: ContactCommand = { type: 'CreateContactList', data: { listId: LIST, name: 'Q1', description: null, at } };
const importRows = (rows: NewContact[], listId: string | null = null): ContactCommand => ({
  type: 'ImportContacts',
  data: { importId: id(800), listId, rows, at },
});

/** given commands (folded through decide + evolve), when a command, then events or an error code. */
function given(...history: ContactCommand[]) {
  let state = contactBookDecider.initialState();
  for (const command of history) for (const event of contactBookDecider.decide(command, state)) state = contactBookDecider.evolve(state, event);
  return {
    when(command: ContactCommand): { events: ContactEvent[] } | { error: string; details: Record<string, unknown> } {
      try {
        return { events: contactBookDecider.decide(command, state) };
      } catch (error) {
        if (error instanceof DomainError) return { error: error.code, details: error.details };
        throw error;
      }
    },
  };
}

describe('the contact book decider', () => {
  it('given nothing, when a contact is created, then ContactCreated', () => {
    expect(given().when(create(1))).toEqual({ events: [{ type: 'ContactCreated', data: { ...contact(1), createdAt: at } }] });
  });

  it('given a contact, when another takes its number, then 409 naming the existing contact', () => {
    expect(given(create(1)).when(create(2, contact(1).phone))).toMatchObject({ error: 'CONTACT_ALREADY_EXISTS', details: { contact_id: id(1) } });
  });

  it('given a deleted contact, when its number is used again, then it is free', () => {
    const deleted: ContactCommand = { type: 'DeleteContact', data: { contactId: id(1), at } };
    expect(given(create(1), deleted).when(create(2, contact(1).phone))).toMatchObject({ events: [{ type: 'ContactCreated' }] });
  });

  it('given two contacts, when one is moved onto the other\'s number, then 409; onto a new number, then only the change', () => {
    const move = (phone: string): ContactCommand => ({ type: 'UpdateContact', data: { contactId: id(2), changes: { phone }, at } });
    expect(given(create(1), create(2)).when(move(contact(1).phone))).toMatchObject({ error: 'CONTACT_ALREADY_EXISTS' });
    expect(given(create(1), create(2)).when(move('+923009999999'))).toEqual({
      events: [{ type: 'ContactUpdated', data: { contactId: id(2), changes: { phone: '+923009999999' }, updatedAt: at } }],
    });
    expect(given(create(1), create(2)).when(move(contact(2).phone))).toEqual({ events: [] });
  });

  it('given nothing, when an unknown contact is updated, deleted or listed, then 404', () => {
    expect(given().when({ type: 'UpdateContact', data: { contactId: id(1), changes: { name: 'x' }, at } })).toMatchObject({ error: 'CONTACT_NOT_FOUND' });
    expect(given().when({ type: 'DeleteContact', data: { contactId: id(1), at } })).toMatchObject({ error: 'CONTACT_NOT_FOUND' });
    expect(given(createList).when({ type: 'AddContactsToList', data: { listId: LIST, contactIds: [id(1)], at } })).toMatchObject({
      error: 'CONTACT_NOT_FOUND',
      details: { contact_ids: [id(1)] },
    });
    expect(given(create(1)).when({ type: 'AddContactsToList', data: { listId: LIST, contactIds: [id(1)], at } })).toMatchObject({ error: 'CONTACT_LIST_NOT_FOUND' });
  });

  it('given a contact on a list, when added again, then nothing; when removed twice, then the second is 404', () => {
    const add: ContactCommand = { type: 'AddContactsToList', data: { listId: LIST, contactIds: [id(1), id(1)], at } };
    const remove: ContactCommand = { type: 'RemoveContactFromList', data: { listId: LIST, contactId: id(1), at } };
    expect(given(create(1), createList).when(add)).toMatchObject({ events: [{ type: 'ContactsAddedToList', data: { contactIds: [id(1)] } }] });
    expect(given(create(1), createList, add).when(add)).toEqual({ events: [] });
    expect(given(create(1), createList, add, remove).when(remove)).toMatchObject({ error: 'CONTACT_NOT_IN_LIST' });
  });

  it('given some numbers, when a chunk is imported into a list, then new ones are created and known ones only linked', () => {
    const rows = [contact(10), contact(11, contact(1).phone), contact(12)];
    expect(given(create(1), createList).when(importRows(rows, LIST))).toEqual({
      events: [
        {
          type: 'ContactsImported',
          data: { importId: id(800), listId: LIST, contacts: [contact(10), contact(12)], linkedContactIds: [id(1)], importedAt: at },
        },
      ],
    });
  });

  it('given a chunk already imported, when it is imported again without a list, then nothing happens', () => {
    const rows = [contact(10), contact(11)];
    expect(given(importRows(rows)).when(importRows([contact(20, contact(10).phone), contact(21, contact(11).phone)]))).toEqual({ events: [] });
  });

  it('given a deleted contact, then it leaves every list it was on', () => {
    const add: ContactCommand = { type: 'AddContactsToList', data: { listId: LIST, contactIds: [id(1)], at } };
    const state = [create(1), createList, add, { type: 'DeleteContact', data: { contactId: id(1), at } } as ContactCommand].reduce(
      (s, command) => contactBookDecider.decide(command, s).reduce(contactBookDecider.evolve, s),
      contactBookDecider.initialState(),
    );
    expect(state.lists.get(LIST)?.size).toBe(0);
    expect(state.phones.size).toBe(0);
  });

  it('given an unknown list, when a chunk is imported into it, then 404', () => {
    expect(given().when(importRows([contact(1)], LIST))).toMatchObject({ error: 'CONTACT_LIST_NOT_FOUND' });
  });

  it('refuses an event that would break its schema (a number that is not E.164)', () => {
    expect(given().when(create(1, '03001234567'))).toMatchObject({ error: 'VALIDATION_ERROR' });
  });
});
