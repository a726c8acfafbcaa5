import type { TrunkRateLimiter } from './rate-limit.ts';
import type { SimWorld } from './world.ts';

/** The pieces every route uses: what came in, what goes out, and how routes are listed. */

export type Reply = {
  readonly status: number;
  readonly json?: unknown;
  readonly file?: { readonly contentType: string; readonly bytes: Buffer };
  readonly headers?: Readonly<Record<string, string>>;
};

export const ok = (json: unknown): Reply => ({ status: 200, json });
export const created = (json: unknown, location: string): Reply => ({ status: 201, json, headers: { Location: location } });
export const noContent: Reply = { status: 204 };
/** Asterisk's error body. */
export const problem = (status: number, message: string): Reply => ({ status, json: { message } });

/**
 * ARI takes every parameter from the query string or, equally, from a JSON body; `variables`
 * only arrives in the body, as `{ "variables": { ... } }`.
 */
export class RequestArgs {
  constructor(
    private readonly query: URLSearchParams,
    private readonly body: Readonly<Record<string, unknown>>,
  ) {}

  string(name: string): string | undefined {
    const fromQuery = this.query.get(name);
    if (fromQuery !== null) return fromQuery;
    const fromBody = this.body[name];
    if (typeof fromBody === 'string' || typeof fromBody === 'number' || typeof fromBody === 'boolean') return String(fromBody);
    return undefined;
  }

  /** A parameter that may repeat or hold a comma-separated list. */
  list(name: string): string[] {
    const fromBody = this.body[name];
    const raw = this.query.has(name) ? this.query.getAll(name) : Array.isArray(fromBody) ? fromBody.map(String) : [this.string(name) ?? ''];
    return raw.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  }

  /** An integer parameter; null when it is present but not an integer. */
  int(name: string, fallback: number): number | null {
    const value = this.string(name);
    if (value === undefined || value === '') return fallback;
    return /^-?\d+$/.test(value) ? Number(value) : null;
  }

  variables(): Record<string, string> | null {
    const raw = this.body['variables'];
    if (raw === undefined) return {};
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
    return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, String(value)]));
  }
}

export type RouteInput = {
  readonly params: Readonly<Record<string, string>>;
  readonly args: RequestArgs;
  /** The Host header, for the basePath Asterisk rewrites into its api-docs. */
  readonly host: string;
  readonly world: SimWorld;
  readonly limiter: TrunkRateLimiter;
};

export type Route = {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path under /ari, with `:name` segments. */
  readonly path: string;
  readonly handle: (input: RouteInput) => Reply;
};
