import { sql, type Kysely } from 'kysely';

export type TableChecksum = { readonly table: string; readonly rows: number; readonly md5: string };

/**
 * A row-by-row fingerprint of a table: md5 over every row's JSON, in primary-key order. Two tables
 * with the same checksum hold the same rows, column for column; a rebuilt read model is proven equal
 * to the live one this way, and the audit tooling reuses it to show a read model matches the log.
 *
 * `orderBy` defaults to the table's primary key (every column, when it has none).
 */
export async function tableChecksum(
  db: Kysely<any>,
  schema: string,
  table: string,
  orderBy?: readonly string[],
): Promise<TableChecksum> {
  const keys = orderBy ?? (await primaryKeyOf(db, schema, table));
  const order = keys.length > 0 ? sql.join(keys.map((key) => sql.ref(`t.${key}`))) : sql`row_to_json(t)::text`;
  const { rows } = await sql<{ rows: string; md5: string | null }>`
    select count(*) as rows, md5(coalesce(string_agg(row_to_json(t)::text, E'\\n' order by ${order}), '')) as md5
    from ${sql.table(`${schema}.${table}`)} as t`.execute(db);
  const row = rows[0]!;
  return { table, rows: Number(row.rows), md5: row.md5 ?? '' };
}

/** Checksums of several tables of one schema, keyed by table name. */
export async function schemaChecksums(db: Kysely<any>, schema: string, tables: readonly string[]): Promise<Record<string, TableChecksum>> {
  const out: Record<string, TableChecksum> = {};
  for (const table of tables) out[table] = await tableChecksum(db, schema, table);
  return out;
}

async function primaryKeyOf(db: Kysely<any>, schema: string, table: string): Promise<string[]> {
  const { rows } = await sql<{ column: string }>`
    select a.attname as column
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    join lateral unnest(i.indkey) with ordinality as k(attnum, ord) on true
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where i.indisprimary and n.nspname = ${schema} and c.relname = ${table}
    order by k.ord`.execute(db);
  return rows.map((row) => row.column);
}
