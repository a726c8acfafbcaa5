import { useState } from 'preact/hooks';

/**
 * A form's submit: the default action stopped, `busy` while the API works, and the failure kept
 * for the page to show (next to fields, or as a notice). `action` returns normally on success.
 */
export function useSubmit(action: () => Promise<void>): { busy: boolean; error: unknown; setError: (error: unknown) => void; submit: (event?: Event) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event?: Event) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
