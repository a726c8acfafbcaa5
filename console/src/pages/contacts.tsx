import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';
import { ConfirmButton } from './parts/confirm-button.tsx';
import { ContactForm } from './parts/contact-form.tsx';
import { CsvImport } from './parts/csv-import.tsx';
import { usePositioned } from './parts/read-your-writes.ts';
import type { Contact, Paged } from './parts/types.ts';
import { DataTable } from './parts/data-table.tsx';
import './parts/pages.css';

/** The tenant's address book: search and tag filter (kept in the address), create, edit, delete, CSV import. */
export function ContactsPage(_props: PageProps) {
  const { search } = useLocation();
  const text = search.get('search') ?? '';
  const tag = search.get('tag') ?? '';
  const page = Number(search.get('page') ?? '1') || 1;
  const positioned = usePositioned();
  const contacts = useResource(
    (signal) => api<Paged<Contact>>('/contacts', { signal, headers: positioned.headers(), query: { search: text, tag, page, per_page: 25 } }),
    [text, tag, page],
  );
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [rowError, setRowError] = useState<unknown>(null);
  const [searchText, setSearchText] = useState(text);
  const [tagText, setTagText] = useState(tag);

  const create = async (body: Record<string, unknown>) => {
    await positioned.write('/contacts', { method: 'POST', body });
    setAdding(false);
    await contacts.reload();
  };
  const update = (id: string) => async (body: Record<string, unknown>) => {
    if (Object.keys(body).length > 0) await positioned.write(`/contacts/${encodeURIComponent(id)}`, { method: 'PATCH', body });
    setEditing(null);
    await contacts.reload();
  };
  const remove = async (id: string) => {
    setRowError(null);
    try {
      await positioned.write(`/contacts/${encodeURIComponent(id)}`, { method: 'DELETE' });
      await contacts.reload();
    } catch (failure) {
      setRowError(failure);
    }
  };
  const filter = (event: Event) => {
    event.preventDefault();
    setQuery({ search: searchText.trim(), tag: tagText.trim(), page: null });
  };

  const rows = contacts.value?.data ?? [];
  return (
    <Page
      title="Contacts"
      actions={
        <>
          <button type="button" class="primary" aria-expanded={adding} onClick={() => setAdding(!adding)}>
            New contact
          </button>
          <button type="button" aria-expanded={importing} onClick={() => setImporting(!importing)}>
            Import CSV
          </button>
        </>
      }
    >
      {adding ? (
        <section class="panel" aria-label="New contact">
          <h2 class="panel-title">New contact</h2>
          <ContactForm idPrefix="new-contact" contact={null} submitLabel="Create contact" onSubmit={create} onCancel={() => setAdding(false)} />
        </section>
      ) : null}
      {importing ? (
        <CsvImport
          id="contacts-csv"
          path="/contacts/import"
          title="Import contacts"
          hint="Columns: phone_number (or phone), and optionally name, email, company, tags. Each refused row is listed with its reason."
          write={positioned.write}
          onImported={() => void contacts.reload()}
        />
      ) : null}
      <form class="filters" role="search" onSubmit={filter}>
        <div class="field">
          <label for="contacts-search">Search</label>
          <input id="contacts-search" type="search" value={searchText} onInput={(event) => setSearchText((event.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="contacts-tag">Tag</label>
          <input id="contacts-tag" value={tagText} onInput={(event) => setTagText((event.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <button type="submit">Filter</button>
        </div>
      </form>
      <ErrorNotice error={contacts.error ?? rowError} />
      {contacts.value && rows.length === 0 ? (
        <EmptyState title={text || tag ? 'No contact matches.' : 'No contacts yet.'}>
          <p>{text || tag ? 'Try another search or tag.' : 'Add one with "New contact", or import a CSV of them.'}</p>
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <>
          <DataTable headers={['Name', 'Phone', 'Email', 'Company', 'Tags', 'Actions']}>
            {rows.map((contact) =>
              editing === contact.id ? (
                <tr key={contact.id}>
                  <td colSpan={6}>
                    <ContactForm idPrefix={`edit-${contact.id}`} contact={contact} submitLabel="Save contact" onSubmit={update(contact.id)} onCancel={() => setEditing(null)} />
                  </td>
                </tr>
              ) : (
                <tr key={contact.id} data-testid="contact-row">
                  <td>{contact.name}</td>
                  <td class="mono">{contact.phone}</td>
                  <td>{contact.email ?? '—'}</td>
                  <td>{contact.company ?? '—'}</td>
                  <td>
                    {contact.tags.map((name) => (
                      <span key={name} class="tag">
                        {name}
                      </span>
                    ))}
                  </td>
                  <td>
                    <div class="row-actions">
                      <button type="button" onClick={() => setEditing(contact.id)} aria-label={`Edit ${contact.name}`}>
                        Edit
                      </button>
                      <ConfirmButton label="Delete" confirmLabel={`Delete ${contact.name}`} onConfirm={() => void remove(contact.id)} />
                    </div>
                  </td>
                </tr>
              ),
            )}
          </DataTable>
          <Pagination info={contacts.value?.pagination} onPage={(next) => setQuery({ page: next })} label="Contact pages" />
        </>
      ) : null}
    </Page>
  );
}
