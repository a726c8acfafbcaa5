import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { formatTime } from '../format/values.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { usePositioned } from './parts/read-your-writes.ts';
import type { ContactList, Paged } from './parts/types.ts';
import { DataTable } from './parts/data-table.tsx';
import './parts/pages.css';
import { useSubmit } from './parts/use-submit.ts';

/** The tenant's contact lists (what a JSON campaign dials), and a form to make one. */
export function ContactListsPage(_props: PageProps) {
  const { search } = useLocation();
  const page = Number(search.get('page') ?? '1') || 1;
  const positioned = usePositioned();
  const lists = useResource((signal) => api<Paged<ContactList>>('/contact-lists', { signal, headers: positioned.headers(), query: { page, per_page: 25 } }), [page]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');

  const { busy, error, submit: create } = useSubmit(async () => {
    await positioned.write('/contact-lists', { method: 'POST', body: { name, description: description.trim() || null } });
    setName('');
    setDescription('');
    await lists.reload();
  });
  const { issues, placed } = fieldErrorsOf(error, ['name', 'description']);

  const rows = lists.value?.data ?? [];
  return (
    <Page title="Contact lists">
      <form class="panel" onSubmit={create} noValidate aria-label="New list">
        <h2 class="panel-title">New list</h2>
        <div class="form-grid">
          <Field id="list-name" label="Name" error={issues.name}>
            <input id="list-name" value={name} onInput={(event) => setName((event.currentTarget as HTMLInputElement).value)} {...describedBy('list-name', issues.name)} />
          </Field>
          <Field id="list-description" label="Description (optional)" error={issues.description}>
            <input id="list-description" value={description} onInput={(event) => setDescription((event.currentTarget as HTMLInputElement).value)} {...describedBy('list-description', issues.description)} />
          </Field>
        </div>
        {placed ? null : <ErrorNotice error={error} />}
        <button type="submit" class="primary" disabled={busy}>
          Create list
        </button>
      </form>
      <ErrorNotice error={lists.error} />
      {lists.value && rows.length === 0 ? (
        <EmptyState title="No contact lists yet.">
          <p>Create one above, then add contacts to it or import a CSV into it.</p>
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <>
          <DataTable headers={['Name', 'Description', 'Contacts', 'Created']}>
            {rows.map((list) => (
              <tr key={list.id} data-testid="list-row">
                <td>
                  <Link to={`/lists/${list.id}`}>{list.name}</Link>
                </td>
                <td>{list.description ?? '—'}</td>
                <td>{list.contact_count}</td>
                <td>{formatTime(list.created_at)}</td>
              </tr>
            ))}
          </DataTable>
          <Pagination info={lists.value?.pagination} onPage={(next) => setQuery({ page: next })} label="List pages" />
        </>
      ) : null}
    </Page>
  );
}
