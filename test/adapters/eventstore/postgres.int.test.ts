import { createPostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { eventStoreContract } from '../../contracts/event-store.contract.ts';
import { testDatabases } from '../../support/databases.ts';

for (const backend of testDatabases()) {
  eventStoreContract(`postgres event store on ${backend.name}`, async () => {
    const database = await backend.open();
    const store = await createPostgresEventStore(database);
    return {
      store,
      async close() {
        await store.close();
        await database.close();
      },
    };
  });
}
