import type { Server } from 'node:http';

/**
 * Stops taking connections and resolves once every request already received has been answered.
 * Idle keep-alive connections are closed as they become idle; whatever is still open after
 * `timeoutMs` is cut, so a stuck client cannot hold a shutdown forever.
 */
export function closeHttpServer(server: Server, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
