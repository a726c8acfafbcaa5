import { ApiError } from '../../api/errors.ts';

/**
 * The API's complaints by form field: VALIDATION_ERROR's issues by path, plus the domain errors
 * that concern one field but carry no issue list (INVALID_PHONE_NUMBER is about the phone,
 * WEBHOOK_URL_INVALID about the URL), mapped by code. `events.0` belongs to `events`. `placed` says whether every complaint found
 * a field, so the page knows whether the general notice is needed too.
 */
export function fieldErrorsOf(error: unknown, fields: readonly string[], byCode: Record<string, string> = {}): { issues: Record<string, string>; placed: boolean } {
  if (!(error instanceof ApiError)) return { issues: {}, placed: false };
  const issues = error.fieldIssues();
  const field = byCode[error.code];
  if (field && !issues[field]) issues[field] = error.message;
  const paths = Object.keys(issues);
  return { issues, placed: paths.length > 0 && paths.every((path) => fields.some((name) => path === name || path.startsWith(`${name}.`))) };
}
