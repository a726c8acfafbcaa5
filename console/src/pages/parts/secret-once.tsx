/** A signing secret the engine shows once: stored hashed/sealed, it cannot be read again. */
export function SecretOnce({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  return (
    <div class="notice warning" role="alert" data-testid="webhook-secret">
      <p>
        <strong>Copy this signing secret now.</strong> It is shown only once; the engine cannot show it again. Use it to check the signature of every delivery.
      </p>
      <p class="secret">{secret}</p>
      <button type="button" onClick={onDismiss}>
        I have copied it
      </button>
    </div>
  );
}
