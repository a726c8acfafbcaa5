import { useState } from 'preact/hooks';
import { ApiError } from '../api/errors.ts';

/**
 * A form's request: its busy flag and the API's error, whose validation issues (by field path)
 * the form shows next to each field.
 */
export function useSubmission() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>): Promise<void> => {
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
  const issues: Record<string, string> = error instanceof ApiError ? error.fieldIssues() : {};
  return { error, busy, run, issues };
}
