/**
 * What a delivery attempt's result means, as a pure rule: the worker records the verdict, the
 * schedule of retries itself is the worker's (cockatiel's exponential back-off with jitter).
 */
export type AttemptResult =
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'connection_error' }
  | { readonly kind: 'forbidden_address' }
  /** Not sent: the endpoint's secret could not be opened (WEBHOOK_SECRET_KEY is not the one it was sealed with). */
  | { readonly kind: 'secret_unavailable' };

export type AttemptVerdict = 'delivered' | 'gone' | 'retry';

export function verdictOf(result: AttemptResult): AttemptVerdict {
  if (result.kind !== 'response') return 'retry';
  if (result.status >= 200 && result.status < 300) return 'delivered';
  // 410 Gone: the receiver says the endpoint no longer exists; sending more is pointless.
  if (result.status === 410) return 'gone';
  return 'retry';
}
