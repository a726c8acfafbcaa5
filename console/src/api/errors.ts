/** A failure the API reported: its `{"error":{"code","message","details"}}` body, kept whole so pages can show it. */
export type FieldIssue = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Validation issues (422 VALIDATION_ERROR) by field path, so a form can show each next to its field. */
  fieldIssues(): Record<string, string> {
    const issues = Array.isArray(this.details.issues) ? (this.details.issues as FieldIssue[]) : [];
    const byField: Record<string, string> = {};
    for (const issue of issues) byField[issue.path] ??= issue.message;
    return byField;
  }
}

/** The network itself failed (engine down, connection reset): not an API answer. */
export class NetworkError extends Error {}

export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (body.error?.code) return new ApiError(response.status, body.error.code, body.error.message ?? response.statusText, body.error.details ?? {});
  } catch {
    // Not the API's JSON (a proxy's page, say): fall through to the status line.
  }
  return new ApiError(response.status, `HTTP_${response.status}`, response.statusText || 'Request failed');
}
