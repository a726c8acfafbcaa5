import type { Kysely } from 'kysely';
import type { EventStore } from '../../adapters/eventstore/port.ts';
import { START_POSITION } from '../../domain/shared/messages.ts';
import { categoryOf, idOf } from '../../domain/shared/streams.ts';
import { loadCheckpoint } from '../checkpoints.ts';
import { checkpointName } from '../projection.ts';
import { callFromStream } from './from-stream.ts';
import { callsProjection } from './projection.ts';
import type { CallQueries } from './queries.ts';

export type InFlightCall = Awaited<ReturnType<CallQueries['inFlight']>>[number];

const LIVE = new Set(['DIALING', 'RINGING', 'ANSWERED']);

/**
 * The calls in flight now: the `calls` read model as of its checkpoint, corrected by every call
 * event the log holds after that checkpoint. A process restarting after a crash asks this before
 * its projections have caught up; the read model alone would miss a call dialled in the last
 * moments before the crash (no one would ever end it) and still list one that ended meanwhile.
 */
export async function inFlightCallsNow(db: Kysely<any>, store: EventStore, queries: Pick<CallQueries, 'inFlight'>): Promise<InFlightCall[]> {
  // A database whose read models were never built yet (a first start) has neither table: the whole log is the tail.
  const [checkpoint, projected] = await Promise.all([
    loadCheckpoint(db, checkpointName(callsProjection)).catch(() => START_POSITION),
    queries.inFlight().catch(() => []),
  ]);
  const calls = new Map(projected.map((call) => [call.callId, call]));
  const touched = new Map<string, string>();
  for (let after = checkpoint; ; ) {
    const page = await store.readAll({ after, maxCount: 1000 });
    for (const event of page) {
      if (categoryOf(event.streamName) === 'call') touched.set(idOf(event.streamName), event.metadata.tenantId);
    }
    if (page.length < 1000) break;
    after = page.at(-1)!.position;
  }
  for (const [callId, tenantId] of touched) {
    const folded = await callFromStream(store, tenantId, callId);
    const call = folded?.call;
    if (!call || !LIVE.has(call.status)) {
      calls.delete(callId);
      continue;
    }
    calls.set(callId, {
      callId,
      tenantId,
      mode: call.mode === 'test' ? 'test' : 'live',
      answered: call.status === 'ANSWERED',
      lastSeenAt: call.status === 'ANSWERED' ? call.updatedAt : null,
    });
  }
  return [...calls.values()];
}
