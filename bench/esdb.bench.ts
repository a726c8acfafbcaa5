/**
 * Append throughput of the EventStoreDB adapter, measured through the in-process gRPC double.
 * Client, double and bench share one Node process and its event loop, so these figures compare
 * adapter changes with each other; they say nothing about a real EventStoreDB server.
 */
import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../src/domain/shared/messages.ts';
import type { ExpectedRevision } from '../src/adapters/eventstore/port.ts';
import { createEsdbEventStore, type EsdbEventStore } from '../src/adapters/eventstore/esdb-event-store.ts';
import { startEsdbDouble } from '../test/support/esdb-double/index.ts';

const LABEL = 'through the in-process gRPC double — not a server figure';
/** Each scenario stops at whichever comes first, so the whole bench stays well under 30 s. */
const TIME_BUDGET_MS = 6_000;

function anEvent(n: number): EventToAppend {
  const eventId = randomUUID();
  return {
    type: 'BenchEventRecorded',
    data: { n, note: 'a payload about the size of a small call event' },
    metadata: {
      eventId,
      correlationId: eventId,
      causationId: eventId,
      tenantId: 'tenant-bench',
      actor: 'system:bench',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}

async function measure(store: EsdbEventStore, batchSize: number, maxAppends: number) {
  const stream = `bench-${randomUUID()}`;
  let expected: ExpectedRevision = 'no_stream';
  let appends = 0;
  const started = performance.now();
  while (appends < maxAppends && performance.now() - started < TIME_BUDGET_MS) {
    const batch = Array.from({ length: batchSize }, (_, i) => anEvent(appends * batchSize + i));
    expected = (await store.append(stream, batch, expected)).nextExpectedRevision;
    appends += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  return { appends, events: appends * batchSize, seconds };
}

export default async function bench(): Promise<void> {
  const double = await startEsdbDouble();
  const store = createEsdbEventStore(double.url);
  try {
    await store.connect();
    await measure(store, 1, 200); // warm-up: JIT, channel, server features

    const rates: number[] = [];
    for (const [label, batchSize, maxAppends] of [
      ['single-event appends', 1, 5_000],
      ['batched appends of 100', 100, 300],
    ] as const) {
      const { appends, events, seconds } = await measure(store, batchSize, maxAppends);
      rates.push(events / seconds);
      console.log(
        `esdb adapter, ${label} (${LABEL}): ${Math.round(appends / seconds)} appends/s, ` +
          `${Math.round(events / seconds)} events/s (${appends} appends in ${seconds.toFixed(2)} s)`,
      );
    }
    const [single = 0, batched = 0] = rates;
    // The same-process baseline is the single-event run; the ratio is what survives a machine change.
    console.log(`esdb adapter, batching of 100 vs single-event appends: ×${(batched / single).toFixed(1)} events/s`);
  } finally {
    await store.close();
    await double.close();
  }
}
