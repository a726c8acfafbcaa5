import { useState } from 'preact/hooks';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { Field, describedBy } from '../../components/field.tsx';
import { fieldErrorsOf } from './field-errors.ts';
import { FormActions } from './form-actions.tsx';
import type { Contact } from './types.ts';
import { useSubmit } from './use-submit.ts';

/**
 * The contact's fields, for a new contact (every field sent) or an edit (only what changed is
 * sent, as PATCH means). The API's validation issues appear next to their fields.
 */
type Values = { name: string; phone: string; email: string; company: string; tags: string; time_zone: string };

const valuesOf = (contact: Contact | null): Values => ({
  name: contact?.name ?? '',
  phone: contact?.phone ?? '',
  email: contact?.email ?? '',
  company: contact?.company ?? '',
  tags: contact?.tags.join(', ') ?? '',
  time_zone: contact?.time_zone ?? '',
});

function bodyOf(values: Values): Record<string, unknown> {
  return {
    name: values.name,
    phone: values.phone,
    email: values.email.trim() || null,
    company: values.company.trim() || null,
    tags: values.tags.split(',').map((tag) => tag.trim()).filter(Boolean),
    time_zone: values.time_zone.trim() || null,
  };
}

const FIELDS: { key: keyof Values; label: string; inputMode?: 'tel' | 'email'; hint?: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'phone', label: 'Phone', inputMode: 'tel', hint: 'E.164 (+923001234567) or national form.' },
  { key: 'email', label: 'Email', inputMode: 'email' },
  { key: 'company', label: 'Company' },
  { key: 'tags', label: 'Tags', hint: 'Comma separated.' },
  { key: 'time_zone', label: 'Time zone', hint: 'IANA name, e.g. Asia/Karachi.' },
];

const FIELD_KEYS = FIELDS.map((field) => field.key);

export function ContactForm({ idPrefix, contact, submitLabel, onSubmit, onCancel }: {
  idPrefix: string;
  contact: Contact | null;
  submitLabel: string;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  onCancel?: () => void;
}) {
  const initial = valuesOf(contact);
  const [values, setValues] = useState<Values>(initial);

  const { busy, error, submit } = useSubmit(async () => {
    const body = bodyOf(values);
    if (contact) {
      // An edit sends only what changed.
      const before = bodyOf(initial);
      for (const key of Object.keys(body)) if (JSON.stringify(body[key]) === JSON.stringify(before[key])) delete body[key];
    }
    await onSubmit(body);
    if (!contact) setValues(valuesOf(null));
  });
  const { issues, placed } = fieldErrorsOf(error, FIELD_KEYS, { INVALID_PHONE_NUMBER: 'phone' });

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <div class="form-grid">
        {FIELDS.map((field) => {
          const id = `${idPrefix}-${field.key}`;
          const issue = issues[field.key];
          return (
            <Field key={field.key} id={id} label={field.label} error={issue} hint={field.hint}>
              <input
                id={id}
                inputMode={field.inputMode}
                value={values[field.key]}
                onInput={(event) => setValues({ ...values, [field.key]: (event.currentTarget as HTMLInputElement).value })}
                {...describedBy(id, issue, field.hint !== undefined)}
              />
            </Field>
          );
        })}
      </div>
      {placed ? null : <ErrorNotice error={error} />}
      <FormActions busy={busy} submitLabel={submitLabel} onCancel={onCancel} />
    </form>
  );
}
