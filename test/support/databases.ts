import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/adapters/db/database.ts';

export type TestDatabase = {
  readonly name: 'pglite' | 'postgres';
  /** A fresh, empty database of its own; closing it throws its data away. */
  open(): Promise<Database>;
};

let reasonPrinted = false;

/** Every backend the tests should run on: PGlite always, Postgres when TEST_DATABASE_URL is set. */
export function testDatabases(): TestDatabase[] {
  const backends: TestDatabase[] = [{ name: 'pglite', open: () => openDatabase({}) }];
  const url = process.env.TEST_DATABASE_URL;
  if (url !== undefined && url !== '') {
    backends.push({ name: 'postgres', open: () => openIsolatedPostgres(url) });
  } else if (!reasonPrinted) {
    reasonPrinted = true;
    console.log('postgres backend skipped: TEST_DATABASE_URL is not set (only PGlite runs)');
  }
  return backends;
}

/** Each open gets a schema of its own, so test files can share one Postgres database in parallel. */
async function openIsolatedPostgres(url: string): Promise<Database> {
  const schema = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(url, (client) => client.query(`create schema ${schema}`));
  const database = await openDatabase({ url, searchPath: schema, maxConnections: 12 });
  return {
    ...database,
    async close() {
      await database.close();
      await withAdminClient(url, (client) => client.query(`drop schema ${schema} cascade`));
    },
  };
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
