import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../src/domain/shared/messages.ts';
import { sizeFromEnv } from './rates.ts';

/**
 * What the event-store bench's workloads share, whichever store runs them: the sizes, the measured
 * figure, the writers' loop, the read-while-writing check and the event every workload appends.
 * Kept apart from the bench so the Emmett worker (a process of its own) runs exactly the same loops.
 */

export function sizesFromEnv(): Sizes {
  return {
    single: sizeFromEnv('BENCH_SINGLE', 2000),
    batches: sizeFromEnv('BENCH_BATCHES', 400),
    batchSize: sizeFromEnv('BENCH_BATCH_SIZE', 10),
    hot: sizeFromEnv('BENCH_HOT', 1000),
    readSeed: sizeFromEnv('BENCH_READ_SEED', 20_000),
    writers: sizeFromEnv('BENCH_WRITERS', 16),
    runs: sizeFromEnv('BENCH_RUNS', 3),
  };
}

export type Sizes = { single: number; batches: number; batchSize: number; hot: number; readSeed: number; writers: number; runs: number };
export type Measured = { rate: number; cpuMicrosPerEvent: number; exactness?: { missed: number; doubled: number } };

export const cell = (m: Measured) => `${Math.round(m.rate).toLocaleString('en-US').padStart(7)} (${m.cpuMicrosPerEvent.toFixed(0).padStart(4)} µs)`;

export function median(runs: Measured[]): Measured {
  return [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;
}

export function worst(runs: Measured[]): string {
  const missed = Math.max(...runs.map((m) => m.exactness?.missed ?? 0));
  const doubled = Math.max(...runs.map((m) => m.exactness?.doubled ?? 0));
  return `${missed} missed/${doubled} doubled`;
}

/** Runs `writers` loops that share one counter of `total` operations; returns the rate of `eventsEach` per operation. */
export async function concurrently(writers: number, total: number, eventsEach: number, operation: (n: number) => Promise<void>): Promise<Measured> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) await operation(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const events = total * eventsEach;
  return { rate: events / seconds, cpuMicrosPerEvent: (used.user + used.system) / events };
}


export type Reader<Cursor> = {
  /** True when the reader may see a committed event later than its neighbours (and never loses it). */
  holdsBack: boolean;
  write(n: number): Promise<void>;
  readFrom(after: Cursor | undefined): Promise<{ ids: string[]; last: Cursor | undefined }>;
  allIds(): Promise<string[]>;
};

/**
 * The rate is of the catch-up: pages until the reader has passed what the log held at the start,
 * while the writers append. The reader then follows until the writers stop and a page comes back
 * empty, and every stored id must have been seen exactly once.
 */
export async function readWhileWriting<Cursor>(sizes: Sizes, logAtStart: number, io: Reader<Cursor>): Promise<Measured> {
  let writing = true;
  let written = 0;
  const writers = Promise.all(
    Array.from({ length: sizes.writers }, async () => {
      while (writing) await io.write(written++);
    }),
  );
  const seen = new Map<string, number>();
  let cursor: Cursor | undefined;
  let read = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  while (read < logAtStart) {
    const page = await io.readFrom(cursor);
    for (const id of page.ids) seen.set(id, (seen.get(id) ?? 0) + 1);
    read += page.ids.length;
    cursor = page.last;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  writing = false;
  await writers;
  const all = await io.allIds();
  // The store shows an event only once every older transaction in the cluster has ended (other
  // work on a shared server can hold that back for a while): follow until all are seen, or give up.
  const deadline = Date.now() + (io.holdsBack ? 30_000 : 0);
  for (;;) {
    const page = await io.readFrom(cursor);
    for (const id of page.ids) seen.set(id, (seen.get(id) ?? 0) + 1);
    cursor = page.last;
    if (page.ids.length > 0) continue;
    if (seen.size >= all.length || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const missed = all.filter((id) => !seen.has(id)).length;
  const doubled = [...seen.values()].filter((count) => count > 1).length;
  return { rate: read / seconds, cpuMicrosPerEvent: (used.user + used.system) / read, exactness: { missed, doubled } };
}

export function benchEvent(n: number): EventToAppend {
  const eventId = randomUUID();
  return {
    type: 'CallRated',
    data: { callId: `call-${n}`, price: { amount: 125 + (n % 50), currency: 'EUR' }, billableSeconds: 60 + (n % 600) },
    metadata: {
      eventId,
      correlationId: randomUUID(),
      causationId: eventId,
      tenantId: `tenant-${n % 5}`,
      actor: 'system:bench',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
