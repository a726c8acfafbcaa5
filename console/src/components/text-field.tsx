import { Field, describedBy } from './field.tsx';

/**
 * The common case of a Field: one text-like input, labelled, with its hint and the API's message
 * for it wired up as its description.
 */
type TextFieldProps = {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'datetime-local';
  autoComplete?: string;
  maxLength?: number;
  inputMode?: 'decimal' | 'numeric';
};

export function TextField({ id, label, value, onInput, error, hint, type = 'text', ...attributes }: TextFieldProps) {
  // Preact types <input> as a union keyed by `type`; every type allowed here takes a text value.
  const kind = type as 'text';
  return (
    <Field id={id} label={label} error={error} {...(hint ? { hint } : {})}>
      <input id={id} type={kind} value={value} onInput={(e) => onInput(e.currentTarget.value)} {...attributes} {...describedBy(id, error, hint !== undefined)} />
    </Field>
  );
}
