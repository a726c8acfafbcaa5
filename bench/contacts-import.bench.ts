import { parse } from 'csv-parse/sync';
import { createPostgresEventStore } from '../src/adapters/eventstore/postgres-event-store.ts';
import type { EventStore } from '../src/adapters/eventstore/port.ts';
import { readCsvContacts } from '../src/commands/contacts/csv-contacts.ts';
import { ContactService, DEFAULT_IMPORT_SETTINGS } from '../src/commands/contacts/contact-service.ts';
import { systemClock } from '../src/domain/shared/clock.ts';
import { contactsProjection } from '../src/projections/contacts/projection.ts';
import { ProjectionRunner } from '../src/projections/runner.ts';
import { formatRate, perSecond, sizeFromEnv } from './support/rates.ts';
import { openScratchDatabase } from './support/scratch-database.ts';

/**
 * CSV contact import: rows per second for a whole import (parse, validate, E.164, chunked appends
 * to the address book) and until the read model shows them, against csv-parse alone on the same
 * bytes in the same run; plus how many appends it took.
 *
 * Size: BENCH_CONTACT_ROWS (default 100,000). Database: BENCH_DATABASE_URL or TEST_DATABASE_URL
 * (a throwaway schema), else in-memory PGlite.
 */
export type ImportRates = {
  readonly rows: number;
  readonly csvParse: number;
  readonly validated: number;
  readonly imported: number;
  readonly appends: number;
  readonly projected: number;
};

export default async function bench(): Promise<void> {
  const rows = sizeFromEnv('BENCH_CONTACT_ROWS', 100_000);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  printImportRates(await measureContactsImport(rows, url));
}

export function printImportRates(rates: ImportRates): void {
  const { csvParse, validated, imported, projected } = rates;
  console.log(`  csv-parse alone:                         ${formatRate(csvParse, 9)} rows/s  (baseline)`);
  console.log(`  parsed + validated (E.164, dups):        ${formatRate(validated, 9)} rows/s  ratio ${(validated / csvParse).toFixed(3)}`);
  console.log(`  imported (appended to the log):          ${formatRate(imported, 9)} rows/s  ratio ${(imported / csvParse).toFixed(3)}  in ${rates.appends} appends`);
  console.log(`  imported and projected (queryable):      ${formatRate(projected, 9)} rows/s  ratio ${(projected / csvParse).toFixed(3)}`);
}

/** The campaign bench runs this too, so its report carries the import rate of the same run. */
export async function measureContactsImport(rows: number, url: string | undefined): Promise<ImportRates> {
  const { database, dispose } = await openScratchDatabase(url);
  try {
    const csv = Buffer.from(
      ['phone_number,name,email,segment', ...Array.from({ length: rows }, (_, i) => `0300${(1_000_000 + i).toString()},"Person ${i}",p${i}@example.com,s${i % 9}`)].join('\r\n'),
    );
    console.log(`contacts import bench on ${database.kind}: ${rows.toLocaleString('en-US')} rows, ${(csv.length / 2 ** 20).toFixed(1)} MiB`);

    const parseOnly = await perSecond(rows, async () => {
      parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
    });
    const validated = await perSecond(rows, async () => {
      await readCsvContacts(csv, { defaultCountry: 'PK', limits: DEFAULT_IMPORT_SETTINGS.csv });
    });

    const store = await createPostgresEventStore(database);
    const counts = { appends: 0 };
    const counted: EventStore = Object.assign(Object.create(store) as EventStore, {
      append: (...args: Parameters<EventStore['append']>) => (counts.appends++, store.append(...args)),
    });
    const service = new ContactService(counted, systemClock, { settingsOf: async () => ({ defaultCountry: 'PK', maxCallDurationSeconds: null }) });
    const caller = { tenantId: 'bench-tenant', actor: 'system:bench', correlationId: 'bench', requestId: 'bench' };
    let position = null as Awaited<ReturnType<ContactService['importCsv']>>['position'];
    const started = process.hrtime.bigint();
    const imported = await perSecond(rows, async () => {
      const outcome = await service.importCsv(caller, csv, null);
      if (outcome.imported !== rows) throw new Error(`imported ${outcome.imported} of ${rows}`);
      position = outcome.position;
    });
    const runner = new ProjectionRunner(database.db, store, contactsProjection);
    await runner.start();
    await runner.waitFor(position!, 600_000);
    const visible = rows / (Number(process.hrtime.bigint() - started) / 1e9);
    await runner.stop();
    await store.close();

    return { rows, csvParse: parseOnly, validated, imported, appends: counts.appends, projected: visible };
  } finally {
    await dispose();
  }
}
