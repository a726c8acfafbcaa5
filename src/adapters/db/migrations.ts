import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

export type MigrationList = Readonly<Record<string, Migration>>;

/**
 * Each component (event store, each read model) keeps its own migration list and its own
 * bookkeeping table, so one component's history never blocks or confuses another's.
 * Migrations run in name order; name them `0001_…`, `0002_…`.
 */
export async function migrateToLatest(
  db: Kysely<any>,
  options: { readonly migrations: MigrationList; readonly tableName: string },
): Promise<void> {
  // Named explicitly: kysely otherwise looks for its bookkeeping tables in every schema, and a
  // copy in a neighbouring schema (another tenant, another test) would fool it.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === undefined) throw new Error('no current schema: check search_path');
  const migrator = new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => ({ ...options.migrations }) },
    migrationTableName: options.tableName,
    migrationLockTableName: `${options.tableName}_lock`,
  });
  const outcome: MigrationResultSet = await migrator.migrateToLatest();
  if (outcome.error !== undefined) {
    const failed = outcome.results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? '(before running any)'} of ${options.tableName} failed`, {
      cause: outcome.error,
    });
  }
}
