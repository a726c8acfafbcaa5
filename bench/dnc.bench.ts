import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { createPostgresEventStore } from '../src/adapters/eventstore/postgres-event-store.ts';
import type { EventStore } from '../src/adapters/eventstore/port.ts';
import { CallService, createCallHandler, type Caller } from '../src/commands/calls/call-service.ts';
import type { PlacementStep } from '../src/commands/calls/placement.ts';
import { dncPlacement } from '../src/commands/dnc/dnc-placement.ts';
import { DncService, type DncCaller } from '../src/commands/dnc/dnc-service.ts';
import type { DncScreen } from '../src/commands/dnc/port.ts';
import { systemClock } from '../src/domain/shared/clock.ts';
import { dncProjection } from '../src/projections/dnc/projection.ts';
import { DncQueries } from '../src/projections/dnc/queries.ts';
import { ProjectionRunner } from '../src/projections/runner.ts';
import { formatRate, perSecond, sizeFromEnv } from './support/rates.ts';
import { openScratchDatabase } from './support/scratch-database.ts';

/**
 * Do-not-call at scale, two figures, each against a baseline measured in the same run:
 *
 * 1. Import of a list of BENCH_DNC_ENTRIES numbers (default 1,000,000) through the real path
 *    (DncService.importCsv: the contacts CSV parser and report, E.164, one DncEntriesImported
 *    append per chunk), then until the `dnc` read model holds them. Baseline: csv-parse alone
 *    on the same bytes.
 * 2. What the check costs a placement on that list: CallService.place (account settings, the
 *    CallRequested append) without the do-not-call step, with it, and with it twice (the
 *    placement's check and the dialer's re-check at CallDialing read the same index):
 *    BENCH_DNC_PLACEMENTS calls of each (default 2,000), one of each in turn.
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a throwaway schema), else in-memory PGlite.
 */
export default async function bench(): Promise<void> {
  const entries = sizeFromEnv('BENCH_DNC_ENTRIES', 1_000_000);
  const placements = sizeFromEnv('BENCH_DNC_PLACEMENTS', 2_000);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const { database, dispose } = await openScratchDatabase(url);
  try {
    // +92 300 1000000 onwards: valid Pakistani mobiles, all distinct.
    const csv = Buffer.from(['phone_number,reason', ...Array.from({ length: entries }, (_, i) => `+92300${(1_000_000 + i).toString()},bench`)].join('\n'));
    console.log(`dnc bench on ${database.kind}: ${entries.toLocaleString('en-US')} entries (${(csv.length / 2 ** 20).toFixed(1)} MiB), ${placements.toLocaleString('en-US')} placements of each variant`);

    const parseOnly = await perSecond(entries, async () => {
      parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
    });

    const store = await createPostgresEventStore(database);
    const counts = { appends: 0 };
    const counted: EventStore = Object.assign(Object.create(store) as EventStore, {
      append: (...args: Parameters<EventStore['append']>) => (counts.appends++, store.append(...args)),
    });
    const accounts = { settingsOf: async () => ({ defaultCountry: 'PK', maxCallDurationSeconds: null }) };
    const dnc = new DncService(counted, systemClock, accounts, async () => false, {
      csv: { maxBytes: 1024 * 1024 * 1024, maxRows: entries, maxErrors: 100 },
      chunkRows: 5000,
      chunkBytes: 512 * 1024,
      operatorCountry: 'PK',
    });
    const caller: DncCaller = { owner: { scope: 'tenant', tenantId: 'bench-tenant' }, actor: 'system:bench', correlationId: 'bench', requestId: 'bench' };
    const started = process.hrtime.bigint();
    let position = null as Awaited<ReturnType<DncService['importCsv']>>['position'];
    const imported = await perSecond(entries, async () => {
      const outcome = await dnc.importCsv(caller, csv, null);
      if (outcome.imported !== entries) throw new Error(`imported ${outcome.imported} of ${entries}`);
      position = outcome.position;
    });
    const runner = new ProjectionRunner(database.db, store, dncProjection);
    await runner.start();
    await runner.waitFor(position!, 1_800_000);
    const visible = entries / (Number(process.hrtime.bigint() - started) / 1e9);
    await runner.stop();

    const queries = new DncQueries(database.db);
    const screen: DncScreen = { check: (tenantId, phone) => queries.check(tenantId, phone), listedAmong: (tenantId, phones) => queries.listedAmong(tenantId, phones) };
    const probe = await queries.check('bench-tenant', `+92300${(1_000_000 + Math.floor(entries / 2)).toString()}`);
    if (!probe) throw new Error('the read model does not hold the imported list');

    const handler = createCallHandler(store);
    const defaults = { ringTimeoutSeconds: 30, maxDurationSeconds: 300 };
    const variants: Array<{ name: string; steps: PlacementStep[] }> = [
      { name: 'without the do-not-call check', steps: [] },
      { name: 'with the check (POST /calls, a claim)', steps: [dncPlacement(screen)] },
      { name: 'with the check twice (+ dialer re-check)', steps: [dncPlacement(screen), dncPlacement(screen)] },
    ];
    const services = variants.map((variant) => new CallService(handler, systemClock, accounts, defaults, variant.steps));
    const samples: number[][] = variants.map(() => []);
    const callCaller: Caller = { tenantId: 'bench-tenant', mode: 'live', actor: 'system:bench', correlationId: 'bench', requestId: 'bench' };
    // Numbers just past the list: not listed, so every placement goes all the way to its append.
    let next = 5_000_000;
    const place = (service: CallService) =>
      service.place(callCaller, {
        phoneNumber: `+92301${(next++).toString()}`, audioId: null, callerId: null, record: false, maxDurationSeconds: null, ringTimeoutSeconds: null, optOutDigit: null,
      });
    // Warm-up (caches, JIT), not counted.
    for (let i = 0; i < 50; i++) for (const service of services) await place(service);
    // One call of each variant in turn, the order turning every time: a machine shared with other
    // work slows every variant alike instead of whichever ran in a bad second.
    for (let i = 0; i < placements; i++) {
      for (let turn = 0; turn < services.length; turn++) {
        const index = (i + turn) % services.length;
        const begin = process.hrtime.bigint();
        await place(services[index]!);
        samples[index]!.push(Number(process.hrtime.bigint() - begin) / 1e6);
      }
    }
    // The check alone, beside the cheapest query there is on the same connection pool.
    const probes = { check: [] as number[], select1: [] as number[] };
    for (let i = 0; i < placements; i++) {
      let begin = process.hrtime.bigint();
      await screen.check('bench-tenant', `+92300${(1_000_000 + ((i * 7919) % entries)).toString()}`);
      probes.check.push(Number(process.hrtime.bigint() - begin) / 1e6);
      begin = process.hrtime.bigint();
      await sql`select 1`.execute(database.db);
      probes.select1.push(Number(process.hrtime.bigint() - begin) / 1e6);
    }
    await store.close();

    const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const perCall = samples.map(mean);
    const medians = samples.map(median);
    console.log(`  csv-parse alone:                         ${formatRate(parseOnly, 9)} rows/s  (baseline)`);
    console.log(`  imported (appended to the log):          ${formatRate(imported, 9)} rows/s  ratio ${(imported / parseOnly).toFixed(3)}  in ${counts.appends} appends`);
    console.log(`  imported and projected (checkable):      ${formatRate(visible, 9)} rows/s  ratio ${(visible / parseOnly).toFixed(3)}`);
    for (const [index, variant] of variants.entries()) {
      const ms = perCall[index]!;
      const extra = index === 0 ? '(baseline)' : `${(ms - perCall[0]!).toFixed(3)} ms added, ratio ${(perCall[0]! / ms).toFixed(3)}; median +${(medians[index]! - medians[0]!).toFixed(3)} ms`;
      console.log(`  placement ${variant.name.padEnd(42)} mean ${ms.toFixed(3)} ms, median ${medians[index]!.toFixed(3)} ms  ${extra}`);
    }
    console.log(`  the check alone (a listed number, 2 list keys): mean ${mean(probes.check).toFixed(3)} ms, median ${median(probes.check).toFixed(3)} ms; \`select 1\` mean ${mean(probes.select1).toFixed(3)} ms`);
  } finally {
    await dispose();
  }
}
