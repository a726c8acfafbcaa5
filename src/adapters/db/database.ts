import type { Kysely } from 'kysely';
import { openPgliteDatabase } from './pglite-database.ts';
import { openPostgresDatabase } from './postgres-database.ts';

/** Stops a `listen` registration. */
export type Unlisten = () => Promise<void>;

/**
 * One database connection (a pg pool, or the single PGlite instance) that every component shares.
 * Both kinds return int8 columns as strings; adapters turn them into bigint themselves.
 */
export type Database = {
  readonly db: Kysely<any>;
  readonly kind: 'postgres' | 'pglite';
  /**
   * Calls `onNotification` whenever a NOTIFY on `channel` commits. Delivery is best effort
   * (a dropped connection loses notifications), so callers also poll.
   */
  listen(channel: string, onNotification: () => void): Promise<Unlisten>;
  close(): Promise<void>;
};

export type DatabaseConfig = {
  /** postgres://… — when absent, an embedded PGlite is used instead. */
  readonly url?: string;
  /** PGlite only: directory to persist to; in memory when undefined. */
  readonly dataDir?: string;
  /** Postgres only: search_path set on every pooled connection (tests use one schema each). */
  readonly searchPath?: string;
  /** Postgres only: pool size. Default 10. */
  readonly maxConnections?: number;
};

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url !== undefined && config.url !== '') return openPostgresDatabase(config.url, config);
  return openPgliteDatabase(config.dataDir);
}
