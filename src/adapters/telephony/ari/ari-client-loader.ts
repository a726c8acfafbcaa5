import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/**
 * The one place that loads `ari-client` (a CommonJS package without types) and makes it safe
 * to point at a broken or restarting Asterisk.
 *
 * The hazard: ari-client builds its API from Asterisk's swagger docs via swagger-client 2.0.26,
 * whose `SwaggerApi#fail` first calls the failure callback (which rejects ari-client's connect
 * promise) and then *throws* the message from inside an HTTP response callback. A 4xx/5xx on
 * any api-docs file therefore becomes an uncaught exception that kills the process. We replace
 * that one method with a version that only reports, since the rejection already carries the news.
 */

export interface AriClient extends EventEmitter {
  start(app: string): PromiseLike<void>;
  stop(): void;
}

type AriClientModule = {
  connect(url: string, username: string, password: string): PromiseLike<AriClient>;
};

type SwaggerModule = {
  SwaggerApi: { prototype: { fail(message: unknown): void; failure?: (message: unknown) => void } };
};

const requireHere = createRequire(import.meta.url);
const ariClient = requireHere('ari-client') as AriClientModule;

let guardInstalled = false;

/** Idempotent. Exported so the guard's own test can check it is in place. */
export function installSwaggerFailGuard(): void {
  if (guardInstalled) return;
  // Resolve swagger-client the way ari-client does, so we patch the very instance it uses.
  const requireFromAri = createRequire(requireHere.resolve('ari-client'));
  const swagger = requireFromAri('swagger-client') as SwaggerModule;
  swagger.SwaggerApi.prototype.fail = function reportWithoutThrowing(
    this: { failure?: (message: unknown) => void },
    message: unknown,
  ) {
    this.failure?.(message);
  };
  guardInstalled = true;
}

type ClientInternals = {
  _ws?: { prependListener(event: 'message', listener: (data: unknown) => void): void };
  _swagger?: { apis?: { events?: { models?: Record<string, unknown> } } };
};

/**
 * The second way ari-client can take the process down: it looks up every incoming event's
 * type in the models it loaded at connect, and throws inside its socket handler when the type
 * is unknown. That happens when Asterisk is upgraded and restarted underneath a running client
 * (ari-client reconnects its socket but keeps the old models). Before ari-client sees each
 * message we give unknown types an empty model, so the event still arrives, just untyped.
 */
export function tolerateUnknownEventTypes(client: AriClient): void {
  client.on('WebSocketConnected', () => {
    const internals = client as unknown as ClientInternals;
    internals._ws?.prependListener('message', (data) => {
      const models = internals._swagger?.apis?.events?.models;
      if (!models) return;
      let type: unknown;
      try {
        type = (JSON.parse(String(data)) as { type?: unknown }).type;
      } catch {
        return;
      }
      if (typeof type === 'string' && !Object.hasOwn(models, type)) models[type] = { properties: [] };
    });
  });
}

/**
 * Loads the node's API description and returns a client whose WebSocket is not started yet.
 * Rejects (never throws asynchronously) when the docs cannot be loaded or it takes too long.
 */
export async function connectAriClient(
  url: string,
  username: string,
  password: string,
  timeoutMs: number,
): Promise<AriClient> {
  installSwaggerFailGuard();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`loading ARI api-docs timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve(ariClient.connect(url, username, password)), timeout]);
  } catch (error) {
    // swagger-client reports failures as bare strings; give callers a real Error.
    throw error instanceof Error ? error : new Error(`ARI api-docs could not be loaded: ${String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
