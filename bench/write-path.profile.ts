/**
 * Where the write path's round trips go: the statements one append and one `POST /api/v1/calls`
 * send to PostgreSQL, counted with a hook on node-postgres and named by their text. Not a bench
 * (no rate is the point); run it beside `node --cpu-prof` to see where the client's time goes:
 *
 *   TEST_DATABASE_URL=postgres://… npx tsx bench/write-path.profile.ts [appends|calls]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/write-path.profile.ts appends
 *
 * PROFILE_APPENDS (default 2000) appends by 16 concurrent writers; PROFILE_CALLS (default 200) POSTs.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createPostgresEventStore } from '../src/adapters/eventstore/postgres-event-store.ts';
import type { EventToAppend } from '../src/domain/shared/messages.ts';
import { startTestEngine } from '../test/e2e/support/engine.ts';
import { sizeFromEnv } from './support/rates.ts';
import { openScratchDatabase } from './support/scratch-database.ts';
import { StatementLog } from './support/statement-log.ts';

const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (url === undefined || url === '') {
  console.error('set TEST_DATABASE_URL (statements are counted on node-postgres)');
  process.exit(1);
}
const which = process.argv[2];
const log = new StatementLog();
log.install();

if (which === undefined || which === 'appends') await profileAppends(url);
if (which === undefined || which === 'calls') await profileCalls(url);
log.uninstall();
process.exit(0);

async function profileAppends(databaseUrl: string): Promise<void> {
  const appends = sizeFromEnv('PROFILE_APPENDS', 2000);
  const { database, dispose } = await openScratchDatabase(databaseUrl);
  try {
    const store = await createPostgresEventStore(database);
    log.reset();
    await log.within('append to a new stream', () => store.append(`p-new-${randomUUID()}`, [anEvent()], 'no_stream'));
    const stream = `p-existing-${randomUUID()}`;
    const first = await store.append(stream, [anEvent()], 'no_stream');
    await log.within('append to an existing stream', () => store.append(stream, [anEvent()], first.nextExpectedRevision));
    await log.within('append of 10 events', () => store.append(`p-ten-${randomUUID()}`, Array.from({ length: 10 }, anEvent), 'no_stream'));
    for (const label of ['append to a new stream', 'append to an existing stream', 'append of 10 events']) print(label, 1);

    // The load the CPU profile looks at: 16 writers, single-event appends to new streams.
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < appends) {
          next += 1;
          await store.append(`p-load-${randomUUID()}`, [anEvent()], 'no_stream');
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`\n${appends} appends by 16 writers: ${(appends / seconds).toFixed(0)} appends/s`);
    await store.close();
  } finally {
    await dispose();
  }
}

async function profileCalls(databaseUrl: string): Promise<void> {
  const calls = sizeFromEnv('PROFILE_CALLS', 200);
  const { database, dispose } = await openScratchDatabase(databaseUrl);
  const running = await startTestEngine({ ...database, close: dispose });
  const front = express();
  let label = 'background';
  front.use((_req, _res, next) => log.within(label, next));
  front.use(running.engine.app);
  const server = await new Promise<ReturnType<typeof front.listen>>((resolve) => {
    const s = front.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const post = (n: number) =>
      fetch(`${base}/api/v1/calls`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${running.apiKey}`, 'Content-Type': 'application/json', 'Idempotency-Key': `p-${n}-${randomUUID()}` },
        body: JSON.stringify({ phone_number: `+92300${String(1_000_000 + n).padStart(7, '0')}` }),
      }).then(async (response) => {
        if (response.status >= 300) throw new Error(`POST /calls answered ${response.status}: ${await response.text()}`);
      });
    // Funded for the whole run: a call holds its maximum price until it ends.
    const operator = { actor: 'system:profile', correlationId: randomUUID(), causationId: 'write-path profile' };
    const wallet = await running.engine.billing.service.wallet(running.accountId);
    const deposit = await running.engine.billing.service.deposit(operator, running.accountId, { amountMinor: 1_000_000_000, currency: wallet.currency, reference: `profile-${randomUUID()}` });
    await running.engine.waitForProjections(deposit.position);
    await post(0); // warm: first-request caches (the key, the account's settings)
    log.reset();
    label = 'POST /api/v1/calls';
    for (let n = 1; n <= 10; n++) await post(n);
    label = 'background';
    print('POST /api/v1/calls', 10);
    // What the same ten calls set off after their responses (projections, the dialer, the simulator's facts).
    print('background', 10, 12);

    log.reset();
    label = 'POST under load';
    const started = process.hrtime.bigint();
    let next = 11;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < calls + 11) await post(next++);
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`\n${calls} POSTs by 10 clients, one tenant: ${(calls / seconds).toFixed(1)} req/s`);
    label = 'background';
    // Under load, subscriptions see larger batches: the per-call background differs from the sequential one.
    print('POST under load', calls, 15);
    print('background', calls, 30);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await running.close();
  }
}

function print(label: string, operations: number, top = Infinity): void {
  console.log(`\n${label}: ${(log.total(label) / operations).toFixed(1)} statements each`);
  for (const [shape, count] of log.statements(label).slice(0, top)) console.log(`  ${(count / operations).toFixed(1).padStart(5)}  ${shape}`);
}

function anEvent(): EventToAppend {
  const eventId = randomUUID();
  return {
    type: 'CallRated',
    data: { callId: eventId, price: { amount: 125, currency: 'EUR' }, billableSeconds: 60 },
    metadata: {
      eventId,
      correlationId: randomUUID(),
      causationId: eventId,
      tenantId: 'tenant-profile',
      actor: 'system:profile',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
