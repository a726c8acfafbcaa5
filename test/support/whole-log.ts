import type { EventStore } from '../../src/adapters/eventstore/port.ts';
import type { GlobalPosition, RecordedEvent } from '../../src/domain/shared/messages.ts';

/** Every event readAll shows now, in global order, a page at a time. */
export async function readWholeLog(store: Pick<EventStore, 'readAll'>, pageSize = 1000): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after ? { after } : {}), maxCount: pageSize });
    all.push(...page);
    if (page.length < pageSize) return all;
    after = page[page.length - 1]!.position;
  }
}
