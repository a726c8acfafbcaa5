import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/adapters/db/database.ts';

/** Real Postgres gets a schema of its own, dropped afterwards, so the bench never touches app data. */
export async function openScratchDatabase(
  url: string | undefined,
  options: { maxConnections?: number } = {},
): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (url === undefined) {
    const database = await openDatabase({});
    return { database, dispose: () => database.close() };
  }
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = await openDatabase({ url, maxConnections: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const database = await openDatabase({ url, searchPath: schema, ...options });
  return {
    database,
    async dispose() {
      await database.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
}
