import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, DatabaseConfig } from './database.ts';
import { PostgresNotificationListener } from './postgres-notifications.ts';

/**
 * node-postgres already returns int8 as strings; we leave its global type parsers alone so no
 * other code in the process is surprised.
 */
export async function openPostgresDatabase(url: string, config: DatabaseConfig): Promise<Database> {
  const connection: pg.ClientConfig = { connectionString: url };
  if (config.searchPath !== undefined) connection.options = `-c search_path=${config.searchPath}`;

  const pool = new pg.Pool({ ...connection, max: config.maxConnections ?? 10 });
  // An idle client losing its server must not crash the process; the next query reports the failure.
  pool.on('error', () => {});
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const listener = new PostgresNotificationListener(connection);

  return {
    db,
    kind: 'postgres',
    listen: (channel, onNotification) => listener.listen(channel, onNotification),
    async close() {
      await listener.close();
      await db.destroy();
    },
  };
}
