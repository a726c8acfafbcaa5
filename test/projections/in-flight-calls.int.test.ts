import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/database.ts';
import { inFlightCallsNow } from '../../src/projections/calls/in-flight.ts';
import { callsProjection } from '../../src/projections/calls/projection.ts';
import { CallQueries } from '../../src/projections/calls/queries.ts';
import { ProjectionRunner } from '../../src/projections/runner.ts';
import { callStream } from '../../src/domain/shared/streams.ts';
import { callStreamEvents } from '../support/call-events.ts';
import { InMemoryEventStore } from '../support/in-memory-event-store.ts';

/**
 * What a restarting ARI adapter is told is in flight: the read model as of its checkpoint, plus
 * the log after it. The read model alone lags after a crash.
 */
describe('inFlightCallsNow', () => {
  let database: Database | undefined;
  afterEach(async () => database?.close());

  it('finds a call dialled after the read model\'s checkpoint, and drops one that ended after it', async () => {
    database = await openDatabase({});
    const store = new InMemoryEventStore();
    const queries = new CallQueries(database.db);
    // Call 1 is dialled and projected; then the projection stops (the crash) and call 1 ends, call 2 is dialled.
    const first = callStreamEvents(0);
    const second = callStreamEvents(1);
    await store.append(callStream(first.callId), first.events.slice(0, 2), 'no_stream');
    const runner = new ProjectionRunner(database.db, store, callsProjection);
    await runner.start();
    await runner.waitFor((await store.readAll()).at(-1)!.position);
    await runner.stop();
    expect((await queries.inFlight()).map((call) => call.callId)).toEqual([first.callId]);

    await store.append(callStream(first.callId), first.events.slice(2), 1n);
    await store.append(callStream(second.callId), second.events.slice(0, 2), 'no_stream');

    const now = await inFlightCallsNow(database.db, store, queries);
    expect(now.map((call) => call.callId)).toEqual([second.callId]);
    expect(now[0]).toMatchObject({ tenantId: 'tenant-a', mode: 'live', answered: false });
    // The stale read model alone would have named the ended call and missed the new one.
    expect((await queries.inFlight()).map((call) => call.callId)).toEqual([first.callId]);
  });

  it('reads the whole log when no read model was ever built', async () => {
    database = await openDatabase({});
    const store = new InMemoryEventStore();
    const call = callStreamEvents(2);
    await store.append(callStream(call.callId), call.events.slice(0, 2), 'no_stream');
    const now = await inFlightCallsNow(database.db, store, new CallQueries(database.db));
    expect(now.map((c) => c.callId)).toEqual([call.callId]);
  });
});
