/**
 * What the EventStoreDB adapter does when the server misbehaves: unreachable at startup, a bad
 * URL, a crash in the middle of an append, a restart under a live subscription. The server is the
 * gRPC double, stopped and restarted on the same port with its data kept.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import type { EventMetadata, EventToAppend, RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { EventStoreUnavailableError } from '../../../src/adapters/eventstore/port.ts';
import { EventStoreConfigError } from '../../../src/adapters/eventstore/esdb-config.ts';
import { createEsdbEventStore, type EsdbEventStore } from '../../../src/adapters/eventstore/esdb-event-store.ts';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.ts';

function event(type: string): EventToAppend {
  const metadata: EventMetadata = {
    eventId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    tenantId: 'tenant-a',
    actor: 'system:test',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  };
  return { type, data: { type }, metadata };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A port that nothing listens on: bind, note it, release it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function doubleWithStore(): Promise<{ double: EsdbDouble; store: EsdbEventStore }> {
  const double = await startEsdbDouble();
  const store = createEsdbEventStore(double.url, {
    connectTimeoutMs: 2_000,
    reconnectInitialDelayMs: 50,
    reconnectMaxDelayMs: 400,
  });
  cleanups.push(() => double.close(), () => store.close());
  await store.connect();
  return { double, store };
}

describe('EsdbEventStore startup checks', () => {
  it('fails fast, naming the URL, when nothing listens at it', async () => {
    const url = `esdb://127.0.0.1:${await freePort()}?tls=false`;
    const store = createEsdbEventStore(url, { connectTimeoutMs: 3_000 });
    cleanups.push(() => store.close());

    const started = Date.now();
    const failure = await store.connect().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(EventStoreUnavailableError);
    expect((failure as Error).message).toContain(url);
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  it('gives up within its deadline when the port accepts connections but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const port = (silent.address() as { port: number }).port;
    const store = createEsdbEventStore(`esdb://127.0.0.1:${port}?tls=false`, { connectTimeoutMs: 800 });
    cleanups.push(() => store.close());

    const started = Date.now();
    const failure = await store.connect().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(EventStoreUnavailableError);
    expect((failure as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*800 ms`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it.each([
    ['an http URL', 'http://127.0.0.1:2113', /must start with esdb:\/\//],
    ['an empty string', '', /missing/],
    ['a URL without a host', 'esdb://?tls=false', /names no host/],
    ['a port that is not a number', 'esdb://127.0.0.1:abc?tls=false', /malformed.*port/],
    ['a non-boolean tls option', 'esdb://127.0.0.1:2113?tls=perhaps', /malformed.*true or false/],
  ])('rejects %s with EventStoreConfigError before dialling', (_label, url, problem) => {
    expect(() => createEsdbEventStore(url)).toThrow(EventStoreConfigError);
    expect(() => createEsdbEventStore(url)).toThrow(problem);
  });

  it('keeps passwords out of its error messages', async () => {
    const url = `esdb://admin:s3cret@127.0.0.1:${await freePort()}?tls=false`;
    const store = createEsdbEventStore(url, { connectTimeoutMs: 2_000 });
    cleanups.push(() => store.close());
    const failure = (await store.connect().catch((error: unknown) => error)) as Error;
    expect(failure).toBeInstanceOf(EventStoreUnavailableError);
    expect(failure.message).not.toContain('s3cret');
    expect(failure.message).toContain('127.0.0.1');
  });
});

describe('EsdbEventStore when the server goes away', () => {
  it('rejects appends, reads and ping with EventStoreUnavailableError while the server is down', async () => {
    const { double, store } = await doubleWithStore();
    const stream = `call-${randomUUID()}`;
    await store.append(stream, [event('Before')], 'no_stream');

    await double.stop();

    await expect(store.append(stream, [event('During')], 0n)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream(stream)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);

    await double.start();
    await store.ping();
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['Before']);
  });

  it('writes nothing of an append cut off by a crash, and the retry lands exactly once', async () => {
    const { double, store } = await doubleWithStore();
    const stream = `call-${randomUUID()}`;
    await store.append(stream, [event('Before')], 'no_stream');
    const batch = [event('One'), event('Two'), event('Three')];

    const held = double.holdCommits();
    const cutOff = store.append(stream, batch, 0n);
    cutOff.catch(() => undefined);
    await held.arrived;
    await double.stop();

    await expect(cutOff).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await double.start();
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['Before']);

    const retried = await store.append(stream, batch, 0n);
    const again = await store.append(stream, batch, 0n);
    expect(again).toEqual(retried);
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['Before', 'One', 'Two', 'Three']);
  });

  it('resumes a subscription by itself after a restart, delivering every event exactly once', async () => {
    const { double, store } = await doubleWithStore();
    const stream = `call-${randomUUID()}`;
    const received: RecordedEvent[] = [];
    let failed: unknown;
    const subscription: Subscription = store.subscribe().subscribe({
      next: (e) => received.push(e),
      error: (error) => (failed = error),
    });
    cleanups.push(() => subscription.unsubscribe());
    const ours = () => received.filter((e) => e.streamName === stream);

    const firstHalf = [event('E1'), event('E2'), event('E3')];
    await store.append(stream, firstHalf, 'no_stream');
    await waitFor(() => ours().length === 3, 'the first three events');

    await double.stop();
    await waitFor(() => double.openSubscriptions() === 0, 'the crash to cut the subscription');
    await expect(store.append(stream, [event('Lost')], 2n)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await double.start();
    // Appended while the subscription is still waiting out its back-off, then once it is back.
    await store.append(stream, [event('E4'), event('E5')], 2n);
    await waitFor(() => ours().length >= 5, 'the events appended right after the restart');
    await store.append(stream, [event('E6')], 4n);
    await waitFor(() => ours().length >= 6, 'the event appended once resubscribed');

    expect(failed).toBeUndefined();
    expect(double.openSubscriptions()).toBe(1);
    expect(ours().map((e) => e.type)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
    const positions = received.map((e) => `${e.position.commit}/${e.position.prepare}`);
    expect(new Set(positions).size).toBe(positions.length);
  });

  it('stops reconnecting once unsubscribed, and close() ends open subscriptions', async () => {
    const { double, store } = await doubleWithStore();
    const first = store.subscribe().subscribe();
    await waitFor(() => double.openSubscriptions() === 1, 'the subscription to open');
    first.unsubscribe();
    await waitFor(() => double.openSubscriptions() === 0, 'the subscription to close on the server');

    await double.stop();
    await double.start();
    await store.append(`call-${randomUUID()}`, [event('After')], 'no_stream');
    expect(double.openSubscriptions()).toBe(0);

    let completed = false;
    store.subscribe().subscribe({ complete: () => (completed = true) });
    await waitFor(() => double.openSubscriptions() === 1, 'the second subscription to open');
    await store.close();
    expect(completed).toBe(true);
    await waitFor(() => double.openSubscriptions() === 0, 'close() to cancel the subscription');
  });
});
