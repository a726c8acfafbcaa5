import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';
import { ConfirmButton } from './parts/confirm-button.tsx';
import { CsvImport } from './parts/csv-import.tsx';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { usePositioned } from './parts/read-your-writes.ts';
import type { Contact, ContactListDetail, Paged } from './parts/types.ts';
import { DataTable } from './parts/data-table.tsx';
import './parts/pages.css';

/**
 * One contact list: its members (paged), adding contacts found by search, removing one, and
 * importing a CSV straight into it.
 */
export function ContactListDetailPage({ params }: PageProps) {
  const id = params.id ?? '';
  const path = `/contact-lists/${encodeURIComponent(id)}`;
  const { search } = useLocation();
  const page = Number(search.get('page') ?? '1') || 1;
  const positioned = usePositioned();
  const list = useResource((signal) => api<ContactListDetail>(path, { signal, headers: positioned.headers(), query: { page, per_page: 25 } }), [path, page]);
  const [rowError, setRowError] = useState<unknown>(null);

  const remove = async (contactId: string) => {
    setRowError(null);
    try {
      await positioned.write(`${path}/contacts/${encodeURIComponent(contactId)}`, { method: 'DELETE' });
      await list.reload();
    } catch (failure) {
      setRowError(failure);
    }
  };

  const value = list.value;
  if (!value) {
    return (
      <Page title="Contact list">
        <ErrorNotice error={list.error} />
        {list.loading ? <p class="muted">Loading…</p> : null}
        <Link to="/lists">Back to contact lists</Link>
      </Page>
    );
  }
  const members = value.contacts.data;
  return (
    <Page title={value.name} actions={<Link to="/lists">Back to contact lists</Link>}>
      {value.description ? <p>{value.description}</p> : null}
      <AddContacts path={path} positioned={positioned} onAdded={() => void list.reload()} />
      <CsvImport
        id="list-csv"
        path={`${path}/import`}
        title="Import a CSV into this list"
        hint="Columns: phone_number (or phone), and optionally name, email, company, tags. New numbers become contacts; every row lands in this list."
        write={positioned.write}
        onImported={() => void list.reload()}
      />
      <h2>Members ({value.contact_count})</h2>
      <ErrorNotice error={rowError} />
      {members.length === 0 ? (
        <EmptyState title="This list is empty.">
          <p>Add contacts above by searching for them, or import a CSV into the list.</p>
        </EmptyState>
      ) : (
        <>
          <DataTable headers={['Name', 'Phone', 'Email', 'Actions']}>
            {members.map((contact) => (
              <tr key={contact.id} data-testid="member-row">
                <td>{contact.name}</td>
                <td class="mono">{contact.phone}</td>
                <td>{contact.email ?? '—'}</td>
                <td>
                  <ConfirmButton label="Remove" confirmLabel={`Remove ${contact.name} from the list`} onConfirm={() => void remove(contact.id)} />
                </td>
              </tr>
            ))}
          </DataTable>
          <Pagination info={value.contacts.pagination} onPage={(next) => setQuery({ page: next })} label="Member pages" />
        </>
      )}
    </Page>
  );
}

/** Find contacts of the address book by name or number, and add the chosen one to the list. */
function AddContacts({ path, positioned, onAdded }: { path: string; positioned: ReturnType<typeof usePositioned>; onAdded: () => void }) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<Contact[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { issues, placed } = fieldErrorsOf(error, ['contact_ids', 'search']);

  const find = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      setFound((await api<Paged<Contact>>('/contacts', { query: { search: text.trim(), per_page: 10 } })).data);
    } catch (failure) {
      setError(failure);
    }
  };
  const add = async (contactId: string) => {
    setError(null);
    try {
      await positioned.write(`${path}/contacts`, { method: 'POST', body: { contact_ids: [contactId] } });
      setFound((current) => current?.filter((contact) => contact.id !== contactId) ?? null);
      onAdded();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section class="panel" aria-label="Add contacts">
      <h2 class="panel-title">Add contacts</h2>
      <form class="inline-form" role="search" onSubmit={find}>
        <Field id="add-search" label="Find a contact by name or phone" error={issues.search ?? issues.contact_ids}>
          <input id="add-search" type="search" value={text} onInput={(event) => setText((event.currentTarget as HTMLInputElement).value)} {...describedBy('add-search', issues.search ?? issues.contact_ids)} />
        </Field>
        <button type="submit">Find</button>
      </form>
      {placed ? null : <ErrorNotice error={error} />}
      {found && found.length === 0 ? <p class="muted">No contact matches. Create it on the Contacts page first.</p> : null}
      {found && found.length > 0 ? (
        <ul class="found-contacts">
          {found.map((contact) => (
            <li key={contact.id}>
              {contact.name} <span class="mono">{contact.phone}</span>{' '}
              <button type="button" onClick={() => void add(contact.id)} aria-label={`Add ${contact.name} to the list`}>
                Add
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
