import { z } from 'zod';

/**
 * A tenant's contacts and contact lists live in one stream, the tenant's address book
 * (`contactbook-<tenantId>`). One stream per tenant is what makes "one contact per phone number"
 * a guarantee: every create, import chunk and phone change is decided against the whole book and
 * appended with its expected revision, so two writers can never both take the same number.
 * An import writes one ContactsImported event per chunk of rows, not one event per contact.
 */

const instant = z.iso.datetime({ offset: true });
const e164 = z.string().regex(/^\+[1-9]\d{5,14}$/);

export const MAX_TAGS = 50;
export const MAX_ATTRIBUTES = 100;

export const AttributeValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

/** What a contact is, without its id: shared by a single create, an import row and an update. */
export const ContactProfile = z.object({
  name: z.string().min(1).max(200),
  phone: e164,
  email: z.string().max(320).nullable(),
  company: z.string().max(200).nullable(),
  tags: z.array(z.string().min(1).max(50)).max(MAX_TAGS),
  attributes: z.record(z.string().min(1).max(100), AttributeValue),
  timeZone: z.string().min(1).max(64).nullable(),
});
export type ContactProfile = z.infer<typeof ContactProfile>;

export const NewContact = ContactProfile.extend({ contactId: z.uuid() });
export type NewContact = z.infer<typeof NewContact>;

export const ContactCreated = NewContact.extend({ createdAt: instant });

export const ContactsImported = z.object({
  importId: z.uuid(),
  /** The list the rows were imported into, if any. */
  listId: z.uuid().nullable(),
  contacts: z.array(NewContact),
  /** Rows whose number was already a contact: not created again, only linked to the list. */
  linkedContactIds: z.array(z.uuid()),
  importedAt: instant,
});

/** Only the fields that changed; a phone change was checked against the rest of the book. */
export const ContactUpdated = z.object({
  contactId: z.uuid(),
  changes: ContactProfile.partial(),
  updatedAt: instant,
});

export const ContactDeleted = z.object({ contactId: z.uuid(), phone: e164, deletedAt: instant });

export const ContactListCreated = z.object({
  listId: z.uuid(),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).nullable(),
  createdAt: instant,
});

export const ContactsAddedToList = z.object({ listId: z.uuid(), contactIds: z.array(z.uuid()).min(1), addedAt: instant });

export const ContactRemovedFromList = z.object({ listId: z.uuid(), contactId: z.uuid(), removedAt: instant });

export const contactEventSchemas = {
  ContactCreated,
  ContactsImported,
  ContactUpdated,
  ContactDeleted,
  ContactListCreated,
  ContactsAddedToList,
  ContactRemovedFromList,
} as const;

export type ContactEventType = keyof typeof contactEventSchemas;

export type ContactEvent = {
  [K in ContactEventType]: { readonly type: K; readonly data: z.infer<(typeof contactEventSchemas)[K]> };
}[ContactEventType];

export type ContactEventOf<K extends ContactEventType> = Extract<ContactEvent, { type: K }>;

export const CURRENT_CONTACT_SCHEMA_VERSION: Record<ContactEventType, number> = {
  ContactCreated: 1,
  ContactsImported: 1,
  ContactUpdated: 1,
  ContactDeleted: 1,
  ContactListCreated: 1,
  ContactsAddedToList: 1,
  ContactRemovedFromList: 1,
};

export function isContactEventType(type: string): type is ContactEventType {
  return Object.hasOwn(contactEventSchemas, type);
}
