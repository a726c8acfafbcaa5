import { mkdirSync } from 'node:fs';
import { openDatabase, type Database } from '../adapters/db/database.ts';
import { createEsdbEventStore } from '../adapters/eventstore/esdb-event-store.ts';
import type { EventStore } from '../adapters/eventstore/port.ts';
import { createPostgresEventStore } from '../adapters/eventstore/postgres-event-store.ts';
import { loadConfig } from '../app/config.ts';
import { validateSettings } from '../app/settings.ts';

export type Output = { write(text: string): unknown; readonly isTTY?: boolean };

/** The stores a subcommand works against: the engine's database (read models) and event store. */
export type Stores = {
  readonly database: Database;
  readonly store: EventStore;
  /** Human description for messages, never containing a password. */
  readonly description: string;
  close(): Promise<void>;
};

/** Everything a subcommand may touch from outside; tests pass their own. */
export type CliContext = {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly now: () => Date;
  openStores(): Promise<Stores>;
  /** The engine's environment, for settings such as the password hashing cost; absent means defaults. */
  readonly env?: NodeJS.ProcessEnv;
};

/**
 * The same configuration as the engine (DATABASE_URL, DATA_DIR, EVENTSTORE_URL), so the CLI works
 * against whatever `npm start` runs on. PGlite allows one process at a time: stop the engine first.
 */
export function storesFromEnvironment(env: NodeJS.ProcessEnv): () => Promise<Stores> {
  return async () => {
    // The engine's own check: a misspelt or malformed setting names itself instead of being ignored.
    validateSettings(env);
    const config = loadConfig(env);
    if (!config.databaseUrl) mkdirSync(`${config.dataDir}/pglite`, { recursive: true });
    const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: `${config.dataDir}/pglite` });
    try {
      if (config.eventStoreUrl) {
        const esdb = createEsdbEventStore(config.eventStoreUrl);
        await esdb.connect();
        return { database, store: esdb, description: `EventStoreDB at ${esdb.where}`, close: async () => (await esdb.close(), await database.close()) };
      }
      const store = await createPostgresEventStore(database);
      const description = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
      return { database, store, description, close: async () => (await store.close(), await database.close()) };
    } catch (error) {
      await database.close().catch(() => undefined);
      throw error;
    }
  };
}
