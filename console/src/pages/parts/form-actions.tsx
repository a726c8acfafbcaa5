/** A form's submit button (disabled while the API works) and, when the form can be closed, Cancel. */
export function FormActions({ busy, submitLabel, onCancel }: { busy: boolean; submitLabel: string; onCancel?: (() => void) | undefined }) {
  return (
    <div class="form-actions">
      <button type="submit" class="primary" disabled={busy}>
        {submitLabel}
      </button>
      {onCancel ? (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
