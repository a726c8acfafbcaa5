import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpServer } from '../../src/app/http-server-close.ts';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { openEventStream, summaryOf, type SseClient, type SseFrame } from '../http/support/sse-client.ts';
import { bearer, createTenant, expectUnauthorized, startFrontDoorEngine, type FrontDoorEngine } from './front-door/support.ts';

/**
 * GET /api/v1/events/stream on the whole sandbox engine over real HTTP, read as the console reads
 * it (fetch + stream reader). Two tenants place a call each; each stream carries its own call to
 * the end and never the other's.
 */

const TERMINAL = new Set(['COMPLETED', 'BUSY', 'NO_ANSWER', 'REJECTED', 'CONGESTION', 'INVALID_NUMBER', 'FAILED', 'CANCELLED', 'LOST', 'BLOCKED']);
const endOf = (callId: string) => (frame: SseFrame) => {
  const summary = summaryOf(frame);
  return summary?.subject?.kind === 'call' && summary.subject.id === callId && TERMINAL.has(summary.status);
};
const mentions = (frames: readonly SseFrame[], id: string) => frames.some((frame) => (frame.data ?? '').includes(id));

for (const backend of testDatabases()) {
  describe(`GET /api/v1/events/stream on ${backend.name}`, () => {
    let running: FrontDoorEngine;
    let server: Server;
    let baseUrl: string;
    let tenantB: { accountId: string; ownerKey: string };
    let stopped = false;
    const clients: SseClient[] = [];
    const open = async (...args: Parameters<typeof openEventStream> extends [string, ...infer Rest] ? Rest : never) => {
      const client = await openEventStream(baseUrl, ...args);
      clients.push(client);
      return client;
    };
    const placeCall = async (key: string, phone: string) => {
      const placed = await request(running.engine.app).post('/api/v1/calls').set(bearer(key)).send({ phone_number: phone });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      return placed.body.id as string;
    };

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open(), { EVENT_STREAM_HEARTBEAT_MS: '50' });
      tenantB = await createTenant(running, 'Tenant B', { email: 'owner-b@example.test', password: 'correct horse battery B' });
      server = running.engine.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }, 60_000);
    afterAll(async () => {
      for (const client of clients) client.close();
      if (!stopped) await running?.close();
      if (server?.listening) await closeHttpServer(server);
    });

    let callA: string;
    let callB: string;
    let streamA: SseClient;

    it("two tenants' streams, open at once, each carry only their own call to its end", async () => {
      streamA = await open(running.apiKey);
      const streamB = await open(tenantB.ownerKey);
      expect(streamA.status).toBe(200);
      expect(streamA.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(streamA.headers.get('cache-control')).toBe('no-store');
      expect(streamA.headers.get('x-accel-buffering')).toBe('no');

      callA = await placeCall(running.apiKey, '03001234567');
      callB = await placeCall(tenantB.ownerKey, '03001234568');
      const [endA, endB] = await Promise.all([streamA.next(endOf(callA)), streamB.next(endOf(callB))]);

      expect(summaryOf(endA)).toMatchObject({ type: endA.event, subject: { kind: 'call', id: callA }, at: expect.any(String), position: endA.id });
      expect(mentions(streamA.frames, callB), 'tenant A saw tenant B’s call').toBe(false);
      expect(mentions(streamB.frames, callA), 'tenant B saw tenant A’s call').toBe(false);
      // The whole life of the call, in log order, each event once.
      const typesA = streamA.frames.filter((f) => summaryOf(f)?.subject?.id === callA).map((f) => f.event);
      expect(typesA).toEqual(expect.arrayContaining(['CallRequested', 'CallDialing', 'CallAnswered']));
      expect(typesA[0]).toBe('CallRequested');
      const ids = streamA.frames.filter((f) => f.id).map((f) => f.id);
      expect(new Set(ids).size).toBe(ids.length);
      // Nothing but summaries: no event data (the phone number) in the stream.
      expect(streamA.frames.some((f) => (f.data ?? '').includes('923001234567'))).toBe(false);
    });

    it("an event's id is a Calltrail-Position: a read presenting it sees the new state", async () => {
      const end = await streamA.next(endOf(callA));
      const read = await request(running.engine.app).get(`/api/v1/calls/${callA}`).set(bearer(running.apiKey)).set('Calltrail-Position', end.id!);
      expect(read.status).toBe(200);
      expect(read.headers['calltrail-consistency']).toBe('current');
      expect(read.body.status).toBe(summaryOf(end).status);
    });

    it('sends a heartbeat comment on an idle stream', async () => {
      const beat = await streamA.next((frame) => frame.comment === 'heartbeat');
      expect(beat.event).toBeUndefined();
    });

    it('Last-Event-ID resumes after that event, without repeating it', async () => {
      const first = streamA.frames.find((f) => summaryOf(f)?.subject?.id === callA)!;
      const resumed = await open(running.apiKey, { 'Last-Event-ID': first.id! });
      const end = await resumed.next(endOf(callA));
      const upTo = (client: SseClient, from: number) => {
        const ids = client.frames.filter((f) => f.id).map((f) => f.id);
        return ids.slice(from, ids.indexOf(end.id) + 1);
      };
      const original = streamA.frames.filter((f) => f.id).map((f) => f.id);
      expect(upTo(resumed, 0)).toEqual(upTo(streamA, original.indexOf(first.id) + 1));
      expect(upTo(resumed, 0)).not.toContain(first.id);
      // ?after= does the same for clients that cannot set the header.
      const byQuery = await open(running.apiKey, {}, `?after=${encodeURIComponent(first.id!)}`);
      expect((await byQuery.next(endOf(callA))).id).toBe(end.id);
    });

    it("another tenant's event id as Last-Event-ID replays only the caller's own events", async () => {
      const foreign = streamA.frames.find((f) => summaryOf(f)?.subject?.id === callA)!;
      const resumed = await open(tenantB.ownerKey, { 'Last-Event-ID': foreign.id! });
      await resumed.next(endOf(callB));
      expect(mentions(resumed.frames, callA)).toBe(false);
    });

    it('refuses an unauthenticated client, a token in the query string, and a position it did not make', async () => {
      expectUnauthorized(await request(running.engine.app).get('/api/v1/events/stream'));
      expectUnauthorized(await request(running.engine.app).get(`/api/v1/events/stream?access_token=${running.apiKey}`));
      expectUnauthorized(await request(running.engine.app).get(`/api/v1/events/stream?token=${running.apiKey}`));
      const bad = await request(running.engine.app).get('/api/v1/events/stream').set(bearer(running.apiKey)).set('Last-Event-ID', 'not-a-position');
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: { code: 'INVALID_POSITION', message: expect.any(String), details: { parameter: 'Last-Event-ID' } } });
      const head = await request(running.engine.app).head('/api/v1/events/stream').set(bearer(running.apiKey));
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
      const post = await request(running.engine.app).post('/api/v1/events/stream').set(bearer(running.apiKey)).send({});
      expect(post.status).toBe(405);
    });

    it('releases the subscription when the clients disconnect', async () => {
      expect(running.engine.liveEvents.listenerCount).toBeGreaterThan(0);
      for (const client of clients.splice(0)) client.close();
      await poll('every listener released', async () => running.engine.liveEvents.listenerCount === 0);
      expect(running.engine.liveEvents.subscribed).toBe(false);
      // A new client starts the shared subscription again and gets live events.
      const again = await open(running.apiKey);
      expect(running.engine.liveEvents.subscribed || running.engine.liveEvents.listenerCount === 1).toBe(true);
      const next = await placeCall(running.apiKey, '03001234569');
      await again.next(endOf(next));
    });

    it('ends open streams when the engine stops, so the server can close', async () => {
      const client = await open(running.apiKey);
      await client.next((frame) => frame.retry !== undefined);
      stopped = true;
      await running.close();
      await client.ended;
      // The stream no longer holds the server: it closes without its cut-off.
      await closeHttpServer(server, 60_000);
      expect(server.listening).toBe(false);
    });
  });
}
