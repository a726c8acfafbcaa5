import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { AriSimulator } from '../../../../src/adapters/telephony/ari-simulator/index.ts';

/**
 * A node whose events socket stays up while its REST side fails is the case the circuit
 * breaker exists for (setDown on the simulator takes the socket away too). This proxy sits in
 * front of a simulator, passes the WebSocket through untouched and can fail originates with 500.
 */
export type FaultyProxy = {
  url: string;
  originatesSeen: () => number;
  failOriginates(fail: boolean): void;
  /** Forwards originates but holds the answer back this long (the channel exists, the reply is late). */
  delayOriginateReplies(ms: number): void;
  /** Swallows originates without forwarding them (no channel, no reply). */
  dropOriginates(drop: boolean): void;
  /** GET /channels/{id} answers 500 instead of being forwarded. */
  failChannelLookups(fail: boolean): void;
  close(): Promise<void>;
};

export async function faultyProxy(target: AriSimulator): Promise<FaultyProxy> {
  const targetUrl = new URL(target.url);
  let failing = false;
  let replyDelayMs = 0;
  let dropping = false;
  let lookupsFailing = false;
  let originates = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const isOriginate = req.method === 'POST' && path === '/ari/channels';
    if (isOriginate) {
      originates += 1;
      if (failing) {
        req.resume();
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end('{"message":"Allocation failed"}');
      }
      if (dropping) return void req.resume();
    }
    if (lookupsFailing && req.method === 'GET' && /^\/ari\/channels\/[^/]+$/.test(path)) {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      return res.end('{"message":"Internal error"}');
    }
    const delay = isOriginate ? replyDelayMs : 0;
    const upstream = httpRequest(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        setTimeout(() => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        }, delay);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(Number(targetUrl.port), targetUrl.hostname, () => {
      const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n');
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    originatesSeen: () => originates,
    failOriginates: (fail) => void (failing = fail),
    delayOriginateReplies: (ms) => void (replyDelayMs = ms),
    dropOriginates: (drop) => void (dropping = drop),
    failChannelLookups: (fail) => void (lookupsFailing = fail),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
