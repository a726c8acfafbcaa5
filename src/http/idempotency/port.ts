/**
 * Idempotency records, kept per scope (the tenant) and key. The row is inserted before the
 * request runs and acts as its lock, so two requests with one key can never both run.
 */
export type StoredResponse = { status: number; headers: Record<string, string>; body: string };

export type IdempotencyBegin =
  /** This request owns the key: run it, then complete or abandon. */
  | { kind: 'started' }
  | { kind: 'replay'; response: StoredResponse }
  /** Same key, different request. */
  | { kind: 'mismatch' }
  /** Another request with this key is still running. */
  | { kind: 'in_progress' };

export interface IdempotencyStore {
  begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Forgets the key (the request failed with a 5xx), so a retry runs afresh. */
  abandon(scope: string, key: string): Promise<void>;
}
