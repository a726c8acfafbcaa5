import { useState } from 'preact/hooks';

/**
 * A secret the API shows only in its creation answer (an API key, a tenant's owner key). It lives
 * in the page's state, nowhere else, so it is gone once the user navigates away or dismisses it.
 */
export function ShownOnce({ label, secret, onDismiss, hint, testId }: { label: string; secret: string; onDismiss: () => void; hint?: string; testId?: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard permission (an http address other than localhost, say): the text is selectable.
      setCopied('failed');
    }
  };
  return (
    <div class="shown-once" role="region" aria-label={label} data-testid={testId}>
      <p class="shown-once-warning">
        {label}: copy it now. It is shown only this once and cannot be shown again.{hint ? ` ${hint}` : ''}
      </p>
      <div class="shown-once-row">
        <code class="secret" data-testid="shown-once-secret">
          {secret}
        </code>
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={onDismiss}>
          I have saved it
        </button>
      </div>
      <p class="muted" aria-live="polite">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The browser refused the clipboard: select the text and copy it.' : ''}
      </p>
    </div>
  );
}
