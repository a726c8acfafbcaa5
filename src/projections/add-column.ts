import type { Kysely } from 'kysely';
import type { ColumnDefinitionBuilder } from 'kysely';

/**
 * Adds a column to an existing read-model table only when it is missing. `ADD COLUMN IF NOT
 * EXISTS` alone would still take an ACCESS EXCLUSIVE lock on every start, which deadlocks with
 * live writers and table swaps (replay); a probe with `limit 0` takes no such lock. Works under
 * `db.withSchema(…)`, since the probe is schema-qualified the same way as the ALTER. Create new
 * tables with the column already in place: then the probe succeeds, which matters inside a
 * transaction (a failed probe would abort it).
 */
export async function addColumnIfMissing(
  db: Kysely<any>,
  table: string,
  column: string,
  type: 'text' | 'integer',
  build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder = (c) => c,
): Promise<void> {
  const present = await db
    .selectFrom(table)
    .select(column)
    .limit(0)
    .execute()
    .then(
      () => true,
      () => false,
    );
  if (!present) await db.schema.alterTable(table).addColumn(column, type, (c) => build(c).ifNotExists()).execute();
}
