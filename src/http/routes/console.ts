import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/**
 * The web console: the single-page app built from console/ (by `npm install`'s prepare step or
 * `npm run build:console`) into console/dist. Its index answers at / and at every /console/ path
 * (the app routes on the client); hashed assets come from /console/assets. The console talks only
 * to the public /api/v1, so it needs nothing from the engine but these files.
 */

export const CONSOLE_PATH = '/console';

/** From src/http/routes (or dist/http/routes) up to the package root. */
const DEFAULT_DIST = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

// No inline script and no inline style attribute anywhere; blob: lets a recording fetched with
// the user's token play in an <audio> element.
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>calltrail console</title></head>
<body><h1>The console is not built</h1><p>Run <code>npm run build:console</code> (npm install does it when the dev
dependencies are installed), then reload. The API works without it: see <a href="/docs">/docs</a>.</p></body></html>
`;

function securityHeaders(res: express.Response): void {
  res.set({ 'Content-Security-Policy': CONSOLE_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' });
}

export function consoleRouter(distDir: string = DEFAULT_DIST): Router {
  const router = Router();
  const indexFile = `${distDir}index.html`;
  // Read per request only while missing, so a build made after start is picked up without a restart.
  let index: string | null = null;
  const page = (): string | null => {
    if (index === null && existsSync(indexFile)) index = readFileSync(indexFile, 'utf8');
    return index;
  };
  const serveIndex: express.RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    securityHeaders(res);
    const html = page();
    res.set('Cache-Control', 'no-cache').status(html ? 200 : 503).type('html').send(html ?? NOT_BUILT);
  };

  router.use(`${CONSOLE_PATH}/assets`, (_req, res, next) => {
    securityHeaders(res);
    next();
  }, express.static(`${distDir}assets`, { index: false, immutable: true, maxAge: '365d', fallthrough: true }));
  router.get('/', serveIndex);
  // Every client-side route under /console gets the app, except asset paths that were not found.
  router.use(CONSOLE_PATH, (req, res, next) => {
    if (req.path.startsWith('/assets/')) next();
    else serveIndex(req, res, next);
  });
  return router;
}
