import type { AriNodeConfig } from './config.ts';

/**
 * ARI's REST calls, made directly with fetch rather than through ari-client's swagger layer:
 * swagger-client throws away the HTTP status (we need 404 and 409 to tell "already done" from
 * "failed"), has no request timeout, and keeps one process-wide set of credentials, so two
 * nodes with different passwords would send each other's.
 */

export class AriRequestError extends Error {
  constructor(
    readonly node: string,
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`ARI ${what} on ${node} answered ${status}: ${describeBody(body)}`);
    this.name = 'AriRequestError';
  }

  /** 5xx means the node is struggling; 4xx means we asked for something it will never do. */
  get nodeAtFault(): boolean {
    return this.status >= 500;
  }
}

/** The node could not be reached or did not answer in time. */
export class AriUnreachableError extends Error {
  constructor(
    readonly node: string,
    readonly timedOut: boolean,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(`ARI ${what} on ${node}: ${timedOut ? 'timed out' : 'unreachable'}`, options);
    this.name = 'AriUnreachableError';
  }
}

export type AriResponse = { readonly status: number; readonly body: unknown };

type Query = Record<string, string | number | boolean | undefined>;

export class AriHttp {
  private readonly baseUrl: string;
  private readonly authorization: string;

  constructor(
    readonly node: AriNodeConfig,
    private readonly timeoutMs: number,
  ) {
    this.baseUrl = ariBaseUrl(node.url);
    this.authorization = `Basic ${Buffer.from(`${node.username}:${node.password}`).toString('base64')}`;
  }

  /** Returns any HTTP answer; only transport failures throw. */
  async send(method: string, path: string, query: Query = {}, body?: unknown): Promise<AriResponse> {
    const url = new URL(`${this.baseUrl}/ari${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const what = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: this.authorization,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new AriUnreachableError(this.node.name, timedOut, what, { cause: error });
    }
    const text = await response.text().catch(() => '');
    return { status: response.status, body: parseBody(text) };
  }

  /**
   * A GET whose body is streamed rather than parsed (stored recordings can be large). The caller
   * must consume or cancel `response.body`.
   */
  async stream(path: string): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}/ari${path}`, {
        headers: { authorization: this.authorization },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new AriUnreachableError(this.node.name, timedOut, `GET ${path}`, { cause: error });
    }
  }

  /** Like send, but anything outside `accepted` (default: 2xx) becomes an AriRequestError. */
  async expect(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; accepted?: readonly number[] } = {},
  ): Promise<AriResponse> {
    const response = await this.send(method, path, options.query, options.body);
    const ok = options.accepted
      ? options.accepted.includes(response.status)
      : response.status >= 200 && response.status < 300;
    if (!ok) throw new AriRequestError(this.node.name, response.status, response.body, `${method} ${path}`);
    return response;
  }
}

/** Operators paste either `http://pbx:8088` or `http://pbx:8088/ari`; both mean the same server. */
export function ariBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/ari$/, '');
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body);
}
