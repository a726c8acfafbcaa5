import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { expect } from 'vitest';
import type { RunningEngine } from '../support/engine.ts';
import { poll } from '../../support/poll.ts';

/** What the webhook tests share: a real HTTP receiver on 127.0.0.1 and fast delivery settings. */

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** Retries a few ms apart and a quick poll, so a test waits on deliveries, not on the schedule. */
export const WEBHOOK_TEST_ENV = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_RETRY_INITIAL_MS: '20',
  WEBHOOK_RETRY_MAX_MS: '80',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_SECRET_KEY: 'b'.repeat(64),
} as const;

export type Received = { headers: http.IncomingHttpHeaders; body: string; json: any; receivedAt: number };

/**
 * A receiver that records every request and answers with `answer` (200 by default). `down()`
 * closes it (connections are refused); `up()` listens again on the same port.
 */
export class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received, index: number) => number = () => 200;
  /** How long each answer waits, after the request is recorded. */
  delayMs = 0;
  private server: http.Server | null = null;
  private port = 0;

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async up(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const entry: Received = { headers: req.headers, body, json: safeJson(body), receivedAt: Date.now() };
        const index = this.received.push(entry) - 1;
        const status = this.answer(entry, index);
        const reply = () => {
          res.statusCode = status;
          res.end('ok');
        };
        if (this.delayMs > 0) setTimeout(reply, this.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  ofType(type: string): Received[] {
    return this.received.filter((entry) => entry.json?.type === type);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function createEndpoint(running: RunningEngine, body: Record<string, unknown>, key = running.apiKey): Promise<{ id: string; secret: string; body: any }> {
  const created = await request(running.engine.app).post('/api/v1/webhooks').set(bearer(key)).send(body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.secret).toMatch(/^whsec_/);
  return { id: created.body.id, secret: created.body.secret, body: created.body };
}

export async function deliveriesOf(running: RunningEngine, endpointId: string, query = '', key = running.apiKey): Promise<any[]> {
  const got = await request(running.engine.app).get(`/api/v1/webhooks/${endpointId}/deliveries?per_page=100${query}`).set(bearer(key));
  expect(got.status, JSON.stringify(got.body)).toBe(200);
  return got.body.data;
}

/** A dnc.added event: the quickest fact a tenant can cause. Answers the time it was listed. */
export async function listNumber(running: RunningEngine, phone: string, key = running.apiKey): Promise<void> {
  const added = await request(running.engine.app).post('/api/v1/compliance/dnc').set(bearer(key)).send({ phone });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
}

export const waitForReceived = (receiver: Receiver, what: string, done: (received: Received[]) => boolean, timeoutMs = 20_000) =>
  poll(what, async () => done(receiver.received), timeoutMs);
