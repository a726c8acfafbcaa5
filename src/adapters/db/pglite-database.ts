import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database, Unlisten } from './database.ts';

const INT8_OID = 20;

/**
 * PGlite is one connection. kysely-pglite-dialect already queues connection requests, so a kysely
 * transaction holds the connection until it ends and other queries wait their turn. The one way
 * around that queue is calling PGlite directly, so `listen` does so only while holding the
 * connection through kysely: a LISTEN sent in the middle of someone's transaction would otherwise
 * be undone by their rollback.
 */
export async function openPgliteDatabase(dataDir: string | undefined): Promise<Database> {
  // Strings for int8, as node-postgres does, so adapters convert to bigint the same way on both.
  const parsers = { [INT8_OID]: (value: string) => value };
  // The options-only overload: with the (dataDir, options) one, an undefined dataDir drops the options.
  const pglite = await PGlite.create(dataDir === undefined ? { parsers } : { dataDir, parsers });
  const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });

  const withConnection = <T>(work: () => Promise<T>): Promise<T> => db.connection().execute(work);

  return {
    db,
    kind: 'pglite',
    async listen(channel, onNotification): Promise<Unlisten> {
      const stop = await withConnection(() => pglite.listen(channel, () => onNotification()));
      return () => withConnection(() => stop());
    },
    close: () => db.destroy(),
  };
}
