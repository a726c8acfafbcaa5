import type { EventStore } from '../../adapters/eventstore/port.ts';
import { callStream } from '../../domain/shared/streams.ts';
import { foldCallRow, timelineEntry } from './fold.ts';
import type { CallRow, CallTimelineEntry } from './types.ts';

/**
 * A call as the read model will show it, folded from its own stream with the projection's fold.
 * The one read that bypasses the read model (README, "Reading your own writes"): a call placed a
 * moment ago is not in `calls` yet, and its client must not hear 404 for it. Another tenant's
 * call reads as missing, like everywhere else.
 */
export async function callFromStream(
  store: Pick<EventStore, 'readStream'>,
  tenantId: string,
  callId: string,
): Promise<{ call: CallRow; timeline: CallTimelineEntry[] } | null> {
  const events = await store.readStream(callStream(callId));
  if (events[0]?.metadata.tenantId !== tenantId) return null;
  let call: CallRow | null = null;
  for (const event of events) call = foldCallRow(call, event);
  if (!call || call.tenantId !== tenantId) return null;
  return { call, timeline: events.map(timelineEntry) };
}
