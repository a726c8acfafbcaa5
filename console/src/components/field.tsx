import type { ComponentChildren } from 'preact';

/**
 * A labelled form field with its validation message. `error` is the API's message for this
 * field (ApiError.fieldIssues()[name]); the input is described by it, so assistive tech reads both.
 */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string; children: ComponentChildren }) {
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** aria attributes for the input inside a Field. */
export function describedBy(id: string, error: string | undefined, hasHint = false): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  const ids = [hasHint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return { ...(error ? { 'aria-invalid': 'true' as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
}
