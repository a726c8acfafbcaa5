import { ApiError, NetworkError } from '../api/errors.ts';

/** The API's own message for a failure, and its code, in a live region so screen readers hear it. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof ApiError || error instanceof NetworkError ? error.message : 'Something went wrong';
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div class="notice notice-error" role="alert">
      <strong>{message}</strong>
      {code ? <span class="notice-code"> ({code})</span> : null}
    </div>
  );
}
