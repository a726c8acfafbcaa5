import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isTaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import type { AttemptResult } from '../../domain/webhook/retry.ts';
import { METADATA_ADDRESSES } from './url-guard.ts';

/**
 * One webhook POST. The address is checked where the socket connects (request-filtering-agent
 * validates every address the name resolves to, and IP literals), so a name that resolved to a
 * public address at creation and to 127.0.0.1 now is refused now. Redirects are not followed
 * (a 3xx is just a failed attempt), and only the first `maxResponseBytes` of the answer are read.
 */

export type WebhookRequest = {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
};

export type WebhookResponse = {
  readonly result: AttemptResult;
  readonly latencyMs: number;
  /** Why the attempt failed, in words, or null; never contains the request's headers. */
  readonly error: string | null;
  /** The start of the receiver's answer, for the delivery log. */
  readonly responseExcerpt: string | null;
};

export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
  close(): void;
}

export type HttpSenderOptions = {
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
  readonly maxResponseBytes?: number;
  /** Tests resolve names their own way (a name that points at 127.0.0.1). */
  readonly lookup?: LookupFunction;
};

const FORBIDDEN = /is not allowed\. Because/;

export class HttpWebhookSender implements WebhookSender {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: HttpSenderOptions) {
    const filter = { allowPrivateIPAddress: options.allowPrivate, allowMetaIPAddress: false, denyIPAddressList: [...METADATA_ADDRESSES] };
    this.httpAgent = new RequestFilteringHttpAgent({ keepAlive: true, maxSockets: 64, ...filter });
    this.httpsAgent = new RequestFilteringHttpsAgent({ keepAlive: true, maxSockets: 64, ...filter });
    this.maxResponseBytes = options.maxResponseBytes ?? 4096;
  }

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const policy = timeout(this.options.timeoutMs, TimeoutStrategy.Aggressive);
      const answer = await policy.execute(({ signal }) => this.post(request, signal));
      return { result: { kind: 'response', status: answer.status }, latencyMs: elapsed(), error: answer.status >= 300 ? `HTTP ${answer.status}` : null, responseExcerpt: answer.excerpt };
    } catch (error) {
      // The timeout's abort can reach the request before cockatiel reports the cancellation itself.
      if (isTaskCancelledError(error) || (error instanceof Error && error.name === 'AbortError')) return { result: { kind: 'timeout' }, latencyMs: elapsed(), error: `no answer within ${this.options.timeoutMs} ms`, responseExcerpt: null };
      const message = error instanceof Error ? error.message : String(error);
      if (FORBIDDEN.test(message)) return { result: { kind: 'forbidden_address' }, latencyMs: elapsed(), error: `refused: ${message}`, responseExcerpt: null };
      return { result: { kind: 'connection_error' }, latencyMs: elapsed(), error: message, responseExcerpt: null };
    }
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private post(request: WebhookRequest, signal: AbortSignal): Promise<{ status: number; excerpt: string }> {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const transport = secure ? https : http;
    return new Promise((resolve, reject) => {
      const outgoing = transport.request(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          signal,
          headers: { ...request.headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(request.body)) },
          ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          const finish = () => resolve({ status: response.statusCode ?? 0, excerpt: Buffer.concat(chunks).toString('utf8') });
          response.on('data', (chunk: Buffer) => {
            if (kept >= this.maxResponseBytes) return;
            const part = chunk.subarray(0, this.maxResponseBytes - kept);
            chunks.push(part);
            kept += part.length;
            // Enough read: stop the receiver from making us hold or read more.
            if (kept >= this.maxResponseBytes) {
              response.destroy();
              finish();
            }
          });
          response.on('end', finish);
          response.on('error', (error) => (kept >= this.maxResponseBytes ? finish() : reject(error)));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  }
}
