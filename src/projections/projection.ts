import type { Kysely, Transaction } from 'kysely';
import type { RecordedEvent } from '../domain/shared/messages.ts';

/**
 * A read model fed from the log. `apply` receives events in global order, inside the same
 * transaction that will store the checkpoint, and must be idempotent per (stream, revision) so
 * a replay of an already-applied batch changes nothing.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the read model's shape or meaning changes; the new version rebuilds from scratch. */
  readonly version: number;
  /** Creates the read model's tables if they are missing. */
  migrate(db: Kysely<any>): Promise<void>;
  /** Empties the read model; used by rebuild. */
  reset(trx: Transaction<any>): Promise<void>;
  /** Cheap pre-filter so batches of foreign events cost nothing. */
  accepts(event: RecordedEvent): boolean;
  apply(trx: Transaction<any>, events: readonly RecordedEvent[]): Promise<void>;
}

export const checkpointName = (projection: Pick<Projection, 'name' | 'version'>): string =>
  `${projection.name}@v${projection.version}`;
