import type { Kysely } from 'kysely';
import type { EventStore } from '../adapters/eventstore/port.ts';
import type { RecordedEvent } from '../domain/shared/messages.ts';
import { loadCheckpoint, saveCheckpoint } from '../projections/checkpoints.ts';

/** How many events after a checkpoint one settle looks at. */
const SETTLE_PAGE = 1000;

/**
 * Run once the engine has stopped appending: moves a reactor's stored checkpoint over the events
 * after it that the reactor ignores, and stops at the first it would act on. A reactor that
 * stopped before the last events were written (another reactor's charges, say) then starts next
 * time where there is work, instead of reading that tail again.
 */
export async function settleCheckpoint(db: Kysely<any>, store: EventStore, name: string, actsOn: (event: RecordedEvent) => boolean): Promise<void> {
  const after = await loadCheckpoint(db, name);
  const tail = await store.readAll({ after, maxCount: SETTLE_PAGE });
  let last: RecordedEvent | undefined;
  for (const event of tail) {
    if (actsOn(event)) break;
    last = event;
  }
  if (last) await saveCheckpoint(db, name, last.position);
}

/** Tracks a reactor's unfinished work, so stop() can wait for it before the stores close. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
