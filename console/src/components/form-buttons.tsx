/** A form's submit button (its label while busy) and, for a form opened over the page, Cancel. */
export function FormButtons({ busy, label, busyLabel, onCancel }: { busy: boolean; label: string; busyLabel: string; onCancel?: () => void }) {
  return (
    <div class="form-actions">
      <button type="submit" class="primary" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {onCancel ? (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
