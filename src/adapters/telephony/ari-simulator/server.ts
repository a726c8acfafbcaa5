import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { EventHub } from './event-hub.ts';
import { problem, RequestArgs, type Reply } from './http-kit.ts';
import type { TrunkRateLimiter } from './rate-limit.ts';
import { Router } from './router.ts';
import { channelRoutes } from './routes/channels.ts';
import { infoRoutes } from './routes/info.ts';
import { mediaRoutes } from './routes/media.ts';
import type { SimWorld } from './world.ts';

const MAX_BODY_BYTES = 1024 * 1024;
const router = new Router([...infoRoutes, ...channelRoutes, ...mediaRoutes]);

export type ServerState = {
  readonly world: SimWorld;
  readonly events: EventHub;
  readonly limiter: TrunkRateLimiter;
  readonly credentials: string;
  /** While true every request answers 503 and upgrades are refused. */
  isDown(): boolean;
};

/** The HTTP side of ARI (under /ari) and the upgrade to the events WebSocket. */
export function createAriServer(state: ServerState): Server {
  const sockets = new WebSocketServer({ noServer: true });
  const server = createServer((request, response) => {
    handleRequest(state, request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, problem(500, error instanceof Error ? error.message : String(error)));
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (state.isDown()) return refuseUpgrade(socket, 503, 'Service Unavailable');
    if (url.pathname !== '/ari/events') return refuseUpgrade(socket, 404, 'Not Found');
    if (!authorized(state, request, url)) return refuseUpgrade(socket, 401, 'Unauthorized');
    const apps = (url.searchParams.get('app') ?? '').split(',').filter((app) => app !== '');
    if (apps.length === 0) return refuseUpgrade(socket, 400, 'Bad Request');
    sockets.handleUpgrade(request, socket, head, (ws) => state.events.add(ws, new Set(apps)));
  });
  server.on('close', () => sockets.close());
  return server;
}

async function handleRequest(state: ServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (state.isDown()) {
    request.resume();
    return send(response, problem(503, 'Service Unavailable'));
  }
  const url = new URL(request.url ?? '/', 'http://placeholder');
  if (!url.pathname.startsWith('/ari/')) return send(response, problem(404, 'Resource not found'));
  if (!authorized(state, request, url)) {
    request.resume();
    return send(response, { ...problem(401, 'Authentication required'), headers: { 'WWW-Authenticate': 'Basic realm="Asterisk REST Interface"' } });
  }
  const match = router.match(request.method ?? 'GET', url.pathname.slice('/ari'.length));
  if (match.kind === 'not-found') return send(response, problem(404, 'Resource not found'));
  if (match.kind === 'wrong-method') return send(response, problem(405, 'Invalid method'));
  const body = await readJsonBody(request);
  if (body === null) return send(response, problem(400, 'The body is not a JSON object'));
  const reply = match.route.handle({
    params: match.params,
    args: new RequestArgs(url.searchParams, body),
    host: request.headers.host ?? 'localhost',
    world: state.world,
    limiter: state.limiter,
  });
  send(response, reply);
}

/** HTTP basic, or `api_key=user:pass` in the query as Asterisk also allows (the WebSocket uses it). */
function authorized(state: ServerState, request: IncomingMessage, url: URL): boolean {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString('utf8') === state.credentials;
  return url.searchParams.get('api_key') === state.credentials;
}

/** An empty body is an empty object; anything else must be a JSON object (null means it is not). */
async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function send(response: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.file !== undefined) {
    response.writeHead(reply.status, { ...headers, 'Content-Type': reply.file.contentType, 'Content-Length': reply.file.bytes.length });
    response.end(reply.file.bytes);
    return;
  }
  if (reply.json === undefined) {
    response.writeHead(reply.status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(reply.json);
  response.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
