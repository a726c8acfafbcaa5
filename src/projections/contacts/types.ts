/** A contact as the read model holds it. */
export type ContactRecord = {
  contactId: string;
  tenantId: string;
  name: string;
  phone: string;
  email: string | null;
  company: string | null;
  tags: string[];
  attributes: Record<string, string | number | boolean | null>;
  timeZone: string | null;
  createdAt: string;
  updatedAt: string;
};

export type ContactListRecord = {
  listId: string;
  tenantId: string;
  name: string;
  description: string | null;
  contactCount: number;
  createdAt: string;
};

export type ListContactsQuery = { page: number; perPage: number; search: string | null; tag: string | null };

export type Page = { page: number; perPage: number };
