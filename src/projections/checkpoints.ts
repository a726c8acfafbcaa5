import { sql, type Kysely, type Transaction } from 'kysely';
import { START_POSITION, type GlobalPosition } from '../domain/shared/messages.ts';

/**
 * Checkpoints of projections and reactors: the last global position each has fully handled.
 * Written in the same transaction as the work it covers, so a crash can never separate them.
 */
export async function migrateCheckpoints(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('checkpoints')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('commit_position', 'bigint', (c) => c.notNull())
    .addColumn('prepare_position', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function loadCheckpoint(db: Kysely<any> | Transaction<any>, name: string): Promise<GlobalPosition> {
  const row = await db
    .selectFrom('checkpoints')
    .select(['commit_position', 'prepare_position'])
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) return START_POSITION;
  return { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
}

export async function saveCheckpoint(trx: Transaction<any> | Kysely<any>, name: string, position: GlobalPosition): Promise<void> {
  await trx
    .insertInto('checkpoints')
    .values({
      name,
      commit_position: position.commit.toString(),
      prepare_position: position.prepare.toString(),
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        commit_position: position.commit.toString(),
        prepare_position: position.prepare.toString(),
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export async function deleteCheckpoint(trx: Transaction<any>, name: string): Promise<void> {
  await trx.deleteFrom('checkpoints').where('name', '=', name).execute();
}
