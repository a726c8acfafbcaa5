import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import { callStream } from '../../src/domain/shared/streams.ts';
import { callsProjection } from '../../src/projections/calls/projection.ts';
import { callFromStream } from '../../src/projections/calls/from-stream.ts';
import { CallQueries } from '../../src/projections/calls/queries.ts';
import { ProjectionRunner } from '../../src/projections/runner.ts';
import { callStreamEvents } from '../support/call-events.ts';
import { testDatabases } from '../support/databases.ts';

for (const backend of testDatabases()) {
  describe(`read-your-writes support on ${backend.name}`, () => {
    let database: Database;
    let store: PostgresEventStore;
    let runner: ProjectionRunner;

    beforeEach(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      runner = new ProjectionRunner(database.db, store, callsProjection);
      await runner.start();
    });
    afterEach(async () => {
      await runner.stop();
      await store.close();
      await database.close();
    });

    it('reached() answers true once the calls read model has applied an append, and the row is there', async () => {
      const { callId, events } = callStreamEvents(1);
      const { position } = await store.append(callStream(callId), events, 'no_stream');
      await expect(runner.reached(position, 10_000)).resolves.toBe(true);
      expect(runner.position).not.toBeNull();
      expect(await new CallQueries(database.db).get('tenant-a', callId)).not.toBeNull();
    });

    it('reached() answers false, without throwing, when the bound passes before the position exists', async () => {
      const { callId, events } = callStreamEvents(2);
      const { position } = await store.append(callStream(callId), events, 'no_stream');
      await runner.reached(position, 10_000);
      await expect(runner.reached({ commit: position.commit + 1_000_000n, prepare: 0n }, 50)).resolves.toBe(false);
    });

    it('a call read from its stream is exactly what the read model shows; another tenant reads nothing', async () => {
      const { callId, events } = callStreamEvents(4);
      const { position } = await store.append(callStream(callId), events, 'no_stream');
      await runner.reached(position, 10_000);

      const fromReadModel = await new CallQueries(database.db).get('tenant-a', callId);
      const fromStream = await callFromStream(store, 'tenant-a', callId);
      expect(fromStream).toEqual(fromReadModel);
      expect(await callFromStream(store, 'tenant-b', callId)).toBeNull();
      expect(await callFromStream(store, 'tenant-a', '00000000-0000-4000-8000-000000000000')).toBeNull();
    });
  });
}
