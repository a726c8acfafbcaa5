/**
 * The shared event store contract, run on EventStoreDB through the real, unmodified client:
 * always against the in-process gRPC double, and against a real server when TEST_EVENTSTORE_URL
 * names one (e.g. esdb://127.0.0.1:2113?tls=false).
 */
import { describe } from 'vitest';
import { eventStoreContract } from '../../contracts/event-store.contract.ts';
import { createEsdbEventStore } from '../../../src/adapters/eventstore/esdb-event-store.ts';
import { startEsdbDouble } from '../../support/esdb-double/index.ts';

/** ESDB's own idempotency rules; esdb-behaviour.int.test.ts pins down what it does instead. */
const esdbQuirks = { idsCheckedOnlyOnReplay: true } as const;

eventStoreContract('esdb-double', async () => {
  const double = await startEsdbDouble();
  const store = createEsdbEventStore(double.url);
  await store.connect();
  return {
    store,
    async close() {
      await store.close();
      await double.close();
    },
  };
}, esdbQuirks);

const realServerUrl = process.env['TEST_EVENTSTORE_URL'];
if (!realServerUrl) {
  console.log('event store contract on a real EventStoreDB: skipped, TEST_EVENTSTORE_URL is not set');
}

describe.skipIf(!realServerUrl)('on a real EventStoreDB server', () => {
  eventStoreContract(`esdb at ${realServerUrl}`, async () => {
    const store = createEsdbEventStore(realServerUrl!);
    await store.connect();
    return { store, close: () => store.close() };
  }, esdbQuirks);
});
