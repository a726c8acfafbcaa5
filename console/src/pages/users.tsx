import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { ConfirmAction } from '../components/confirm-action.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { TextField } from '../components/text-field.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { formatTime } from '../format/values.ts';
import { useClientPages } from '../hooks/use-client-pages.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { DataTable } from './parts/data-table.tsx';
import { FormActions } from './parts/form-actions.tsx';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { useSubmit } from './parts/use-submit.ts';
import '../operations.css';

/** /users: the people who sign in to this account; add one, change a role or password, remove one. */
type User = { id: string; account_id: string; email: string; name: string; role: string; created_at: string };

const ROLES = ['developer', 'admin', 'owner'] as const;

function RoleSelect({ id, value, onChange, error }: { id: string; value: string; onChange: (role: string) => void; error?: string | undefined }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)} {...describedBy(id, error)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </select>
  );
}

function AddUserForm({ onAdded }: { onAdded: (user: User) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('developer');
  const [password, setPassword] = useState('');

  const { error, busy, submit } = useSubmit(async () => {
    const user = await api<User>('/users', { method: 'POST', body: { email, name, role, password } });
    setEmail('');
    setName('');
    setPassword('');
    onAdded(user);
  });
  const { issues } = fieldErrorsOf(error, []);

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add a user</h2>
      <div class="form-grid">
        <TextField id="user-email" label="Email" value={email} onInput={setEmail} error={issues.email} type="email" autoComplete="off" />
        <TextField id="user-name" label="Name" value={name} onInput={setName} error={issues.name} />
        <Field id="user-role" label="Role" error={issues.role}>
          <RoleSelect id="user-role" value={role} onChange={setRole} error={issues.role} />
        </Field>
        <TextField id="user-password" label="Password" value={password} onInput={setPassword} error={issues.password} type="password" autoComplete="new-password" />
      </div>
      <ErrorNotice error={error} />
      <FormActions busy={busy} submitLabel={busy ? 'Adding…' : 'Add user'} />
    </form>
  );
}

function EditUserForm({ user, onSaved, onCancel }: { user: User; onSaved: () => void; onCancel: () => void }) {
  const [role, setRole] = useState(user.role);
  const [password, setPassword] = useState('');

  const { error, busy, submit } = useSubmit(async () => {
    const body: Record<string, string> = {};
    if (role !== user.role) body.role = role;
    if (password !== '') body.password = password;
    // An empty change goes to the API too, so its own message ("Give role or password") is what shows.
    await api(`/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body });
    onSaved();
  });
  const { issues } = fieldErrorsOf(error, []);

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="edit-user-title">
      <h2 id="edit-user-title">Change {user.email}</h2>
      <div class="form-grid">
        <Field id="edit-role" label="Role" error={issues.role}>
          <RoleSelect id="edit-role" value={role} onChange={setRole} error={issues.role} />
        </Field>
        <TextField id="edit-password" label="New password" value={password} onInput={setPassword} error={issues.password} hint="Leave empty to keep the current one." type="password" autoComplete="new-password" />
      </div>
      <ErrorNotice error={error} />
      <FormActions busy={busy} submitLabel={busy ? 'Saving…' : 'Save'} onCancel={onCancel} />
    </form>
  );
}

export function UsersPage(_props: PageProps) {
  const users = useResource((signal) => api<{ data: User[] }>('/users', { signal }), []);
  const [editing, setEditing] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const { rows, info, setPage } = useClientPages(users.value?.data);

  const remove = async (user: User) => {
    setActionError(null);
    try {
      await api(`/users/${encodeURIComponent(user.id)}`, { method: 'DELETE' });
      if (editing?.id === user.id) setEditing(null);
      setNotice(`${user.email} was removed.`);
      await users.reload();
    } catch (failure) {
      setActionError(failure);
    }
  };

  return (
    <Page title="Users">
      {notice ? (
        <p class="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}
      {editing ? (
        <EditUserForm
          key={editing.id}
          user={editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setNotice(`${editing.email} was changed.`);
            setEditing(null);
            void users.reload();
          }}
        />
      ) : (
        <AddUserForm
          onAdded={(user) => {
            setNotice(`${user.email} was added as ${user.role}.`);
            void users.reload();
          }}
        />
      )}
      <ErrorNotice error={users.error ?? actionError} />
      {users.value && users.value.data.length === 0 ? <EmptyState title="No one signs in to this account yet.">Add a user above with an email and a password.</EmptyState> : null}
      {rows.length > 0 ? (
        <DataTable caption="Users" headers={['Email', 'Name', 'Role', 'Added', 'Actions']}>
          {rows.map((user) => (
            <tr key={user.id}>
              <td>{user.email}</td>
              <td>{user.name || <span class="muted">—</span>}</td>
              <td>{user.role}</td>
              <td>{formatTime(user.created_at)}</td>
              <td>
                <div class="row-actions">
                  <button type="button" aria-label={`Change ${user.email}`} onClick={() => setEditing(user)}>
                    Change
                  </button>
                  <ConfirmAction label="Remove" question={`Remove ${user.email}?`} confirmLabel="Yes, remove" onConfirm={() => remove(user)} />
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <Pagination info={info} onPage={setPage} label="User pages" />
    </Page>
  );
}
