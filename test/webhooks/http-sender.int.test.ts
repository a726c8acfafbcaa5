import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWebhookSender } from '../../src/adapters/webhooks/http-sender.ts';
import { verdictOf } from '../../src/domain/webhook/retry.ts';

/** The sender against a real local server: redirects, big answers, silence, refused addresses. */
describe('the webhook HTTP sender', () => {
  let server: http.Server;
  let base: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      req.on('end', () => {
        if (req.url === '/redirect') {
          res.writeHead(302, { Location: `${base}/target` });
          res.end();
        } else if (req.url === '/big') {
          res.writeHead(200);
          res.end('x'.repeat(1024 * 1024));
        } else if (req.url === '/silent') {
          // Never answers.
        } else res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const lenient = () => new HttpWebhookSender({ allowPrivate: true, timeoutMs: 300, maxResponseBytes: 64 });
  const send = (sender: HttpWebhookSender, path: string) => sender.send({ url: `${base}${path}`, body: '{}', headers: {} });

  it('does not follow a redirect: a 3xx is a failed attempt and the target is never asked', async () => {
    const sender = lenient();
    const answer = await send(sender, '/redirect');
    expect(answer.result).toEqual({ kind: 'response', status: 302 });
    expect(verdictOf(answer.result)).toBe('retry');
    expect(hits).not.toContain('/target');
    sender.close();
  });

  it('reads no more than the limit of a large answer', async () => {
    const sender = lenient();
    const answer = await send(sender, '/big');
    expect(answer.result).toEqual({ kind: 'response', status: 200 });
    expect(answer.responseExcerpt).toHaveLength(64);
    sender.close();
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const sender = lenient();
    const answer = await send(sender, '/silent');
    expect(answer.result).toEqual({ kind: 'timeout' });
    expect(answer.latencyMs).toBeGreaterThanOrEqual(250);
    expect(answer.latencyMs).toBeLessThan(3000);
    sender.close();
  });

  it('refuses to connect to a private address unless allowed, and to metadata even then', async () => {
    const strict = new HttpWebhookSender({ allowPrivate: false, timeoutMs: 1000 });
    expect((await send(strict, '/ok')).result).toEqual({ kind: 'forbidden_address' });
    strict.close();
    const allowed = lenient();
    expect((await send(allowed, '/ok')).result).toEqual({ kind: 'response', status: 200 });
    const metadata = await allowed.send({ url: 'http://169.254.169.254/latest/meta-data', body: '{}', headers: {} });
    expect(metadata.result).toEqual({ kind: 'forbidden_address' });
    allowed.close();
  });

  it('reports a refused connection as a connection error', async () => {
    const sender = lenient();
    const answer = await sender.send({ url: 'http://127.0.0.1:1/hook', body: '{}', headers: {} });
    expect(answer.result).toEqual({ kind: 'connection_error' });
    expect(answer.error).toMatch(/ECONNREFUSED/);
    sender.close();
  });
});
