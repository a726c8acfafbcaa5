import { sql, type Kysely, type Transaction } from 'kysely';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class ReplayError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayError';
  }
}

export function assertSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name)) {
    throw new ReplayError(`schema name "${name}" must be lower-case letters, digits and _, starting with a letter or _ (at most 63)`);
  }
  return name;
}

/** A name nobody else uses: `<prefix>_<UTC timestamp>_<random>`. */
export function uniqueSchemaName(prefix: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
  return assertSchemaName(`${prefix}_${stamp}_${Math.random().toString(36).slice(2, 8)}`);
}

export async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new ReplayError('the database connection has no current schema (check search_path)');
  return schema;
}

export async function schemaExists(db: Kysely<any>, schema: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select 1 as n from pg_namespace where nspname = ${schema}`.execute(db);
  return rows.length > 0;
}

/**
 * Runs `work` in a transaction whose unqualified names all resolve in `schema`: every projection
 * writes its tables there without knowing, raw SQL included. SET LOCAL ends with the transaction,
 * so the connection goes back to the pool (or, on PGlite, to the live engine) unchanged.
 */
export async function inSchema<T>(db: Kysely<any>, schema: string, work: (trx: Transaction<any>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('search_path', ${quoteIdent(schema)}, true)`.execute(trx);
    return work(trx);
  });
}

/** Tables of a schema, by name. */
export async function tablesIn(db: Kysely<any>, schema: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'p') order by c.relname`.execute(db);
  return rows.map((row) => row.name);
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
