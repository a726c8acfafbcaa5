import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { openDatabase } from '../../src/adapters/db/database.ts';
import type { EventToAppend } from '../../src/domain/shared/messages.ts';
import { loadCheckpoint } from '../../src/projections/checkpoints.ts';
import type { Projection } from '../../src/projections/projection.ts';
import { ProjectionRunner } from '../../src/projections/runner.ts';
import { InMemoryEventStore } from '../support/in-memory-event-store.ts';

const event = (type: string, id: string): EventToAppend => ({
  type,
  data: {},
  metadata: { eventId: id, correlationId: 'c', causationId: 'c', tenantId: 't', actor: 'test', occurredAt: '2026-12-03T10:00:00.000Z', schemaVersion: 1 },
});

/** Counts what it is given; wants only `Wanted` events. */
function countingProjection(): Projection & { applied: number } {
  return {
    name: 'counting',
    version: 1,
    applied: 0,
    migrate: async () => {},
    reset: async () => {},
    accepts: (recorded) => recorded.type === 'Wanted',
    async apply(_trx, events) {
      this.applied += events.length;
    },
  };
}

describe('projection runner checkpoints', () => {
  let database: Database;
  let store: InMemoryEventStore;
  let projection: ReturnType<typeof countingProjection>;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    database = await openDatabase({});
    store = new InMemoryEventStore();
    projection = countingProjection();
    runner = new ProjectionRunner(database.db, store, projection);
    await runner.start();
  });
  afterEach(async () => {
    await runner.stop();
    await database.close();
  });

  it('moves past events it skips without a transaction, and stores that position with its next write', async () => {
    const wanted = await store.append('s-1', [event('Wanted', 'w1')], 'no_stream');
    await runner.waitFor(wanted.position);
    expect(await loadCheckpoint(database.db, 'counting@v1')).toEqual(wanted.position);

    // Only events it skips: waiting for them answers at once, and nothing is written for them.
    const skipped = await store.append('s-2', [event('Other', 'o1'), event('Other', 'o2')], 'no_stream');
    await runner.waitFor(skipped.position);
    expect(runner.position).toEqual(skipped.position);
    expect(await loadCheckpoint(database.db, 'counting@v1')).toEqual(wanted.position);

    const next = await store.append('s-3', [event('Wanted', 'w2')], 'no_stream');
    await runner.waitFor(next.position);
    expect(await loadCheckpoint(database.db, 'counting@v1')).toEqual(next.position);
    expect(projection.applied).toBe(2);
  });

  it('stores the position it moved to past skipped events when it stops', async () => {
    const wanted = await store.append('s-1', [event('Wanted', 'w1')], 'no_stream');
    await runner.waitFor(wanted.position);
    const skipped = await store.append('s-2', [event('Other', 'o1')], 'no_stream');
    await runner.waitFor(skipped.position);
    await runner.stop();
    expect(await loadCheckpoint(database.db, 'counting@v1')).toEqual(skipped.position);
  });
});
