/**
 * Shared counters for rate limits. Implementations keep them in a store every API process sees
 * (Postgres, or Redis), so a limit holds across processes. A bucket has a fixed window of its own
 * ('general' and 'calls': one minute; 'login': fifteen).
 */
export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
};

export type RateLimitCheck = { bucket: string; key: string; limit: number };

export interface RateLimitPort {
  /** Counts one request against `limit` in the bucket's current window. */
  consume(bucket: string, key: string, limit: number): Promise<RateLimitDecision>;
  /**
   * Counts one request in each of several buckets at once, answering in the same order. Optional:
   * a store that can do it in one round trip (one statement) offers it; the middleware otherwise
   * calls `consume` for each.
   */
  consumeAll?(checks: readonly RateLimitCheck[]): Promise<RateLimitDecision[]>;
  /** Reads without counting. */
  peek(bucket: string, key: string, limit: number): Promise<RateLimitDecision>;
  clear(bucket: string, key: string): Promise<void>;
}
