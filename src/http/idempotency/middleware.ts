import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { requestContextOf } from '../context.ts';
import type { Logger } from '../dependencies.ts';
import { HttpError } from '../errors.ts';
import type { IdempotencyStore, StoredResponse } from './port.ts';

/**
 * `Idempotency-Key` on POST. The first request with a key runs and its response (status, body,
 * Location) is stored before it is sent; the same key and request again gets that response back
 * with `Idempotent-Replayed: true`. The same key with another method, path or body is 422
 * IDEMPOTENCY_KEY_REUSED. A duplicate that arrives while the first still runs waits for it, and
 * answers 409 IDEMPOTENCY_KEY_IN_USE if it is still running after `waitMs`. 5xx responses are not
 * kept, so a retry runs afresh. Keys are scoped to the tenant.
 */

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;
// The log position too: a replayed command answer still tells the client what to wait for.
const KEPT_HEADERS = ['content-type', 'location', 'calltrail-position'];
const POLL_MS = 25;

export type IdempotencyOptions = { store: IdempotencyStore; waitMs?: number; logger?: Logger };

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(req: Request): string {
  const path = `${req.baseUrl}${req.path}`.replace(/\/+$/, '');
  return createHash('sha256').update(`${req.method}\n${path}\n${canonical(req.body ?? null)}`).digest('hex');
}

function replay(res: Response, stored: StoredResponse): void {
  res.status(stored.status).set(stored.headers).set(REPLAYED_HEADER, 'true').send(stored.body);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function idempotency(options: IdempotencyOptions): RequestHandler {
  const waitMs = options.waitMs ?? 10_000;
  return async (req, res, next) => {
    if (req.method !== 'POST') return next();
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) return next();
    if (!ACCEPTABLE_KEY.test(key)) {
      throw new HttpError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 printable ASCII characters', {
        header: IDEMPOTENCY_HEADER,
      });
    }
    const { principal } = requestContextOf(res);
    const scope = principal.kind === 'operator' ? 'operator' : `tenant:${principal.tenantId}`;
    const fingerprint = requestFingerprint(req);

    const deadline = Date.now() + waitMs;
    for (;;) {
      const begun = await options.store.begin(scope, key, fingerprint);
      if (begun.kind === 'replay') return replay(res, begun.response);
      if (begun.kind === 'mismatch') {
        throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request', {
          header: IDEMPOTENCY_HEADER,
        });
      }
      if (begun.kind === 'started') break;
      if (Date.now() >= deadline) {
        throw new HttpError(409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still running; retry shortly', {
          header: IDEMPOTENCY_HEADER,
        });
      }
      await sleep(POLL_MS);
    }

    captureResponse(res, options, scope, key);
    next();
  };
}

/**
 * Stores the response before it leaves: `res.send` is deferred until the record is written, so a
 * client that got an answer always finds it replayable. If the request ends without a body
 * passing through send, the record is settled when the response closes.
 */
function captureResponse(res: Response, options: IdempotencyOptions, scope: string, key: string): void {
  const originalSend = res.send.bind(res);
  let settled = false;

  const settle = async (body: string): Promise<void> => {
    settled = true;
    if (res.statusCode >= 500) {
      await options.store.abandon(scope, key);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = res.get(name);
      if (value !== undefined) headers[name] = value;
    }
    await options.store.complete(scope, key, { status: res.statusCode, headers, body });
  };

  res.send = function send(body?: unknown): Response {
    // Objects go through res.json, which comes back here with a string.
    if (settled || (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body))) return originalSend(body);
    const text = body === undefined ? '' : Buffer.isBuffer(body) ? body.toString('utf8') : body;
    settle(text).then(
      () => originalSend(body),
      (error: unknown) => {
        options.logger?.error('idempotency record not stored', { error: error instanceof Error ? error.message : String(error) });
        originalSend(body);
      },
    );
    return res;
  };

  // Ended without send (e.g. res.end()). A client that hung up early is not an ending: the handler
  // may still send, and otherwise the record's lease runs out and a retry may take over.
  res.on('close', () => {
    if (!settled && res.writableFinished) void settle('').catch(() => undefined);
  });
}
