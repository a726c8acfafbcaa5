import { CompiledQuery, sql, type Kysely } from 'kysely';
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { Redis } from 'ioredis';
import type { Database } from '../db/database.ts';

/**
 * Rate-limit counters through rate-limiter-flexible, kept where every API process sees them:
 * - Postgres (the default): its RateLimiterPostgres with a small client that runs its SQL through
 *   our kysely connection, so the same code serves a pg pool and PGlite alike;
 * - Redis, when REDIS_URL is set: RateLimiterRedis over ioredis.
 * The library does the atomic counting; this file only picks the store and translates results.
 */

export type RateLimitDecision = { allowed: boolean; limit: number; remaining: number; resetInMs: number };

/** Window length per bucket, in seconds. Unknown buckets get a minute. */
export const BUCKET_WINDOWS: Readonly<Record<string, number>> = { general: 60, calls: 60, login: 15 * 60 };

export const RATE_LIMIT_TABLE = 'rate_limits';

type Factory = (bucket: string, points: number, duration: number) => RateLimiterStoreAbstract;
type Check = { bucket: string; key: string; limit: number };
/** Several counters counted in one round trip, where the store can; undefined means one call each. */
type ConsumeMany = (checks: readonly Check[]) => Promise<RateLimitDecision[]>;

export class FlexibleRateLimits {
  private readonly limiters = new Map<string, RateLimiterStoreAbstract>();

  private constructor(
    private readonly factory: Factory,
    private readonly onClose: () => Promise<void>,
    /** Settles once the store can be used (the table exists). */
    private readonly ready: () => Promise<void> = async () => undefined,
    private readonly consumeMany?: ConsumeMany,
  ) {}

  /** Counters in the `rate_limits` table of this database (created on first use if missing). */
  static postgres(database: Database): FlexibleRateLimits {
    let created: Promise<void> | undefined;
    // Created on first use, and again after a failure, so a database that was down at start recovers.
    const ready = (): Promise<void> =>
      (created ??= sql`create table if not exists ${sql.table(RATE_LIMIT_TABLE)} (
        key varchar(255) primary key,
        points integer not null default 0,
        expire bigint
      )`
        .execute(database.db)
        .then(
          () => undefined,
          (error: unknown) => {
            created = undefined;
            throw error;
          },
        ));
    const client = kyselyClient(database.db);
    return new FlexibleRateLimits(
      (bucket, points, duration) =>
        new RateLimiterPostgres({
          storeClient: client,
          storeType: 'client',
          tableName: RATE_LIMIT_TABLE,
          tableCreated: true,
          // Expired rows are deleted by the library's own hourly sweep.
          clearExpiredByTimeout: true,
          keyPrefix: bucket,
          points,
          duration,
        }),
      async () => undefined,
      ready,
      (checks) => consumeInOneStatement(database.db, checks),
    );
  }

  static redis(url: string, options: { keyPrefix?: string } = {}): FlexibleRateLimits {
    // Commands sent while (re)connecting wait in ioredis' queue; one retry, then the request fails (500).
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    // Connection errors surface on the next command; an idle disconnect must not crash the process.
    client.on('error', () => {});
    const prefix = options.keyPrefix ?? 'calltrail';
    return new FlexibleRateLimits(
      (bucket, points, duration) => new RateLimiterRedis({ storeClient: client, keyPrefix: `${prefix}:${bucket}`, points, duration }),
      async () => {
        client.disconnect();
      },
    );
  }

  async consume(bucket: string, key: string, limit: number): Promise<RateLimitDecision> {
    await this.ready();
    try {
      return this.decision(limit, await this.limiter(bucket, limit).consume(key, 1), true);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return this.decision(limit, rejection, false);
      throw rejection;
    }
  }

  /**
   * One request counted in each bucket. On Postgres that is one statement (one transaction, one
   * WAL flush) for all of them, with the very counting rule and rows the library's own upsert
   * uses, so its peek, clear and sweep read and drop them as theirs. Elsewhere, one consume each.
   */
  async consumeAll(checks: readonly Check[]): Promise<RateLimitDecision[]> {
    const distinct = new Set(checks.map((check) => `${check.bucket}:${check.key}`)).size === checks.length;
    if (this.consumeMany === undefined || !distinct || checks.length < 2) {
      return Promise.all(checks.map((check) => this.consume(check.bucket, check.key, check.limit)));
    }
    await this.ready();
    return this.consumeMany(checks);
  }

  async peek(bucket: string, key: string, limit: number): Promise<RateLimitDecision> {
    await this.ready();
    const res = await this.limiter(bucket, limit).get(key);
    if (res === null) return { allowed: true, limit, remaining: limit, resetInMs: (BUCKET_WINDOWS[bucket] ?? 60) * 1000 };
    return this.decision(limit, res, res.consumedPoints < limit);
  }

  async clear(bucket: string, key: string): Promise<void> {
    await this.ready();
    // Any limiter of the bucket shares its keys: the prefix is the bucket.
    await this.limiter(bucket, 1).delete(key);
  }

  async close(): Promise<void> {
    await this.onClose();
  }

  /** One limiter per bucket and limit; plans with different limits share the bucket's counters. */
  private limiter(bucket: string, limit: number): RateLimiterStoreAbstract {
    const id = `${bucket}/${limit}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.factory(bucket, limit, BUCKET_WINDOWS[bucket] ?? 60);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private decision(limit: number, res: RateLimiterRes, allowed: boolean): RateLimitDecision {
    return { allowed, limit, remaining: Math.max(0, limit - res.consumedPoints), resetInMs: Math.max(0, res.msBeforeNext) };
  }
}

/**
 * rate-limiter-flexible's Postgres upsert (a row per `<bucket>:<key>`: points used, and when the
 * window ends, in ms), for several keys in one INSERT: a row whose window has ended starts again
 * at 1 with a new end; any other row counts one more. Allowed while the count is within the limit,
 * as the library decides.
 */
async function consumeInOneStatement(db: Kysely<any>, checks: readonly Check[]): Promise<RateLimitDecision[]> {
  const now = Date.now();
  const keys = checks.map((check) => `${check.bucket}:${check.key}`);
  const ends = checks.map((check) => String(now + (BUCKET_WINDOWS[check.bucket] ?? 60) * 1000));
  const table = sql.table(RATE_LIMIT_TABLE);
  const { rows } = await sql<{ key: string; points: number; expire: string | null }>`
    insert into ${table} (key, points, expire)
    select k, 1, e from unnest(${keys}::text[], ${ends}::bigint[]) as t(k, e)
    on conflict (key) do update set
      points = case when ${table}.expire <= ${now} then 1 else ${table}.points + 1 end,
      expire = case when ${table}.expire <= ${now} then excluded.expire else ${table}.expire end
    returning key, points, expire`.execute(db);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return checks.map((check, i) => {
    const row = byKey.get(keys[i]!);
    if (row === undefined) throw new Error(`rate limit counter ${keys[i]} was not returned`);
    const consumed = Number(row.points);
    return {
      allowed: consumed <= check.limit,
      limit: check.limit,
      remaining: Math.max(0, check.limit - consumed),
      resetInMs: row.expire === null ? 0 : Math.max(0, Number(row.expire) - Date.now()),
    };
  });
}

/**
 * The `query({ text, values })` client RateLimiterPostgres expects, backed by kysely. Statements
 * are sent unnamed (kysely prepares nothing), which PGlite requires anyway.
 */
function kyselyClient(db: Kysely<any>) {
  return {
    async query(query: { text: string; values?: unknown[] }) {
      const result = await db.executeQuery(CompiledQuery.raw(query.text, query.values ?? []));
      const rows = result.rows as Array<Record<string, unknown>>;
      return { rows, rowCount: Number(result.numAffectedRows ?? rows.length) };
    },
  };
}
