import express from 'express';

/**
 * Lists every route an app serves, as "METHOD /full/path", by recording where routers are mounted
 * while the app is built (Express 5 keeps no mount paths on its layers). Used by the isolation walk
 * so that endpoints added later are walked too, or flagged when the walk cannot cover them.
 */
export type RouteInfo = { method: string; path: string };

/**
 * Routes whose answer never ends on its own (Server-Sent Events): a walk that awaits each answer
 * would hang on them. Their own tests cover them (test/e2e/events-stream.e2e.test.ts: isolation,
 * refusals, a bad Last-Event-ID).
 */
export const STREAMING_PATHS: ReadonlySet<string> = new Set(['/api/v1/events/stream']);
export const finiteRoutes = (routes: readonly RouteInfo[]): RouteInfo[] => routes.filter((route) => !STREAMING_PATHS.has(route.path));

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

export async function recordingMounts<T>(build: () => Promise<T>): Promise<{ result: T; routes: () => RouteInfo[] }> {
  const mounts: Array<{ prefix: string; router: { stack: Layer[] } }> = [];
  const proto = express.application as unknown as { use: (...args: unknown[]) => unknown };
  const original = proto.use;
  proto.use = function use(this: unknown, ...args: unknown[]) {
    const prefix = typeof args[0] === 'string' ? args[0] : '';
    for (const handler of args.flat()) {
      const stack = (handler as { stack?: Layer[] } | null)?.stack;
      if (typeof handler === 'function' && Array.isArray(stack)) mounts.push({ prefix, router: handler as unknown as { stack: Layer[] } });
    }
    return original.apply(this, args);
  };
  let result: T;
  try {
    result = await build();
  } finally {
    proto.use = original;
  }
  const routes = (): RouteInfo[] => {
    const out: RouteInfo[] = [];
    const walk = (prefix: string, stack: Layer[]) => {
      for (const layer of stack) {
        if (layer.route) {
          const path = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}` || '/';
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') out.push({ method: method.toUpperCase(), path });
          }
        }
      }
    };
    for (const mount of mounts) walk(mount.prefix, mount.router.stack);
    return out;
  };
  return { result, routes };
}
