import type { EventStore } from '../adapters/eventstore/port.ts';
import { START_POSITION, type GlobalPosition } from '../domain/shared/messages.ts';

/** How many events one read takes while looking for the log's head. */
const HEAD_PAGE = 1_000;

/**
 * The last event's position now, read forward from a position known to be at or before it (the
 * furthest read model's checkpoint is a few events behind at most). The port has no "head" call,
 * and this costs one short read when the hint is close. START_POSITION for an empty log.
 */
export async function logHead(store: EventStore, nearHead: GlobalPosition | null): Promise<GlobalPosition> {
  let head = nearHead ?? START_POSITION;
  for (;;) {
    const page = await store.readAll({ after: head, maxCount: HEAD_PAGE });
    if (page.length > 0) head = page.at(-1)!.position;
    if (page.length < HEAD_PAGE) return head;
  }
}
