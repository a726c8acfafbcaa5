import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPostgresEventStore } from '../src/adapters/eventstore/postgres-event-store.ts';
import type { EventStore } from '../src/adapters/eventstore/port.ts';
import { loadConfig } from '../src/app/config.ts';
import { WebhooksFeature } from '../src/app/webhooks-feature.ts';
import { systemClock } from '../src/domain/shared/clock.ts';
import { dncStream } from '../src/domain/shared/streams.ts';
import { formatRate, perSecond, sizeFromEnv } from './support/rates.ts';
import { openScratchDatabase } from './support/scratch-database.ts';
import type { Database } from '../src/adapters/db/database.ts';

/**
 * Webhook delivery throughput and latency to a local receiver (in this process, on 127.0.0.1).
 * Throughput: N facts appended to the log in appends of 100, until the receiver has every
 * delivery (outbox → delivery table → worker → signed POST → 2xx recorded), for three shapes:
 * one endpoint in strict order (1 in flight), one endpoint with 16 in flight, and 8 endpoints
 * fanned out from the same facts. Baseline, same run: the same bodies POSTed straight to the same
 * receiver with the same number in flight (no log, no table, no signature).
 * Latency: facts appended one at a time every 20 ms; commit (the append's return) → the
 * receiver's request, p50 / p99.
 *
 * Sizes: BENCH_WEBHOOK_EVENTS (default 3000), BENCH_WEBHOOK_LATENCY_EVENTS (default 300).
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a throwaway schema), else in-memory PGlite.
 */

type Receiver = { url: string; received: number; arrivals: Map<string, number>; close(): Promise<void>; waitFor(count: number): Promise<void> };

async function startReceiver(): Promise<Receiver> {
  let waiter: { count: number; resolve: () => void } | null = null;
  const receiver: Receiver = {
    url: '',
    received: 0,
    arrivals: new Map(),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
    waitFor: (count) =>
      receiver.received >= count ? Promise.resolve() : new Promise((resolve) => (waiter = { count, resolve })),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const phone = /"phone":"(\+\d+)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
      if (phone && !receiver.arrivals.has(phone)) receiver.arrivals.set(phone, performance.now());
      receiver.received++;
      res.end('ok');
      if (waiter && receiver.received >= waiter.count) {
        waiter.resolve();
        waiter = null;
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

let phoneCounter = 0;
const nextPhone = () => `+9230088${String(phoneCounter++).padStart(5, '0')}`;

function dncEvents(tenantId: string, count: number) {
  const now = new Date().toISOString();
  return Array.from({ length: count }, () => ({
    type: 'DncEntryAdded',
    data: { phone: nextPhone(), scope: 'tenant', reason: null, source: 'api', callId: null, addedAt: now },
    metadata: { eventId: crypto.randomUUID(), correlationId: 'bench', causationId: 'bench', tenantId, actor: 'system:bench', occurredAt: now, schemaVersion: 1 },
  }));
}

async function feature(database: Database, store: EventStore, concurrency: number): Promise<WebhooksFeature> {
  const config = loadConfig({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_SECRET_KEY: 'a'.repeat(64),
    WEBHOOK_ENDPOINT_CONCURRENCY: String(concurrency),
    WEBHOOK_POLL_MS: '200',
  });
  const webhooks = new WebhooksFeature({ config, store, db: database.db, clock: systemClock });
  await webhooks.start();
  return webhooks;
}

async function endpoints(webhooks: WebhooksFeature, tenantId: string, url: string, count: number): Promise<void> {
  const caller = { tenantId, actor: 'system:bench', correlationId: 'bench', requestId: 'bench' };
  for (let i = 0; i < count; i++) {
    const made = await webhooks.service.create(caller, { url, events: ['dnc.added'], description: null, enabled: true });
    await webhooks.outbox.waitFor(made.position!);
  }
}

/** The same work without calltrail: POST each body with `inFlight` requests at a time. */
async function baseline(url: string, count: number, inFlight: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const body = JSON.stringify({ id: 'evt_x', type: 'dnc.added', created_at: new Date().toISOString(), account_id: 'a', sequence: 1, data: { phone: '+923001234567' } });
  let next = 0;
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(body);
    });
  const rate = await perSecond(count, () =>
    Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next++ < count) await post();
      }),
    ).then(() => undefined),
  );
  agent.destroy();
  return rate;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export default async function bench(): Promise<void> {
  const events = sizeFromEnv('BENCH_WEBHOOK_EVENTS', 3000);
  const latencyEvents = sizeFromEnv('BENCH_WEBHOOK_LATENCY_EVENTS', 300);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const { database, dispose } = await openScratchDatabase(url);
  try {
    console.log(`webhooks bench on ${database.kind}: ${events} facts per throughput run, ${latencyEvents} for latency`);
    const store = await createPostgresEventStore(database);
    const shapes = [
      { name: '1 endpoint, 1 in flight (strict order)', endpoints: 1, concurrency: 1 },
      { name: '1 endpoint, 16 in flight', endpoints: 1, concurrency: 16 },
      { name: '8 endpoints, 1 in flight each', endpoints: 8, concurrency: 1 },
    ];
    console.log('| Shape | Baseline (plain POSTs) | Through calltrail | ratio |');
    console.log('|---|---|---|---|');
    for (const shape of shapes) {
      const receiver = await startReceiver();
      const webhooks = await feature(database, store, shape.concurrency);
      const tenantId = crypto.randomUUID();
      await endpoints(webhooks, tenantId, receiver.url, shape.endpoints);
      const inFlight = shape.endpoints * shape.concurrency;
      const deliveries = events * shape.endpoints;
      const plain = await baseline(receiver.url, deliveries, inFlight);
      receiver.received = 0;
      const rate = await perSecond(deliveries, async () => {
        for (let start = 0; start < events; start += 100) await store.append(dncStream(tenantId), dncEvents(tenantId, Math.min(100, events - start)), 'any');
        await receiver.waitFor(deliveries);
      });
      console.log(`| ${shape.name} | ${formatRate(plain)} req/s | ${formatRate(rate)} deliveries/s | ${(rate / plain).toFixed(2)} |`);
      await webhooks.stop();
      await receiver.close();
    }

    // Latency: one fact at a time, paced, so nothing queues behind a backlog.
    const receiver = await startReceiver();
    const webhooks = await feature(database, store, 1);
    const tenantId = crypto.randomUUID();
    await endpoints(webhooks, tenantId, receiver.url, 1);
    const committed = new Map<string, number>();
    for (let i = 0; i < latencyEvents; i++) {
      const [event] = dncEvents(tenantId, 1);
      await store.append(dncStream(tenantId), [event!], 'any');
      committed.set(event!.data.phone, performance.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await receiver.waitFor(latencyEvents);
    const latencies = [...committed].map(([phone, at]) => receiver.arrivals.get(phone)! - at).sort((a, b) => a - b);
    console.log(`commit → receiver (1 endpoint, paced every 20 ms): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
    await webhooks.stop();
    await receiver.close();
  } finally {
    await dispose();
  }
}
