import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { methodNotAllowed } from '../errors.ts';

/**
 * GET /api/v1/openapi.json and the /docs page. Swagger UI comes from the swagger-ui-dist package
 * on disk, never a CDN, and the page has no inline script, so it runs under a strict CSP.
 */

export const OPENAPI_PATH = '/api/v1/openapi.json';
export const DOCS_PATH = '/docs';
const ASSETS_PATH = '/docs/assets';

const require = createRequire(import.meta.url);
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
/** Only what the page loads: the package also holds a demo page pointing at a public URL. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png']);

// Swagger UI sets style attributes at run time, hence 'unsafe-inline' for styles only.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>calltrail API</title>
  <link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${ASSETS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script src="${ASSETS_PATH}/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/** From src/http/routes (or dist/http/routes) up to the package root. */
const VERSION = (require('../../../package.json') as { version: string }).version;

export function docsRouter(version: string = VERSION): Router {
  const router = Router();
  // Built on first request: the document is pure, and most processes never serve it.
  let document: string | null = null;
  router
    .route(OPENAPI_PATH)
    .get((_req, res) => {
      document ??= JSON.stringify(buildOpenApiDocument(version));
      res.type('application/json').send(document);
    })
    .all(methodNotAllowed(['GET']));
  router
    .route(DOCS_PATH)
    .get((_req, res) => {
      res.set('Content-Security-Policy', CSP).type('html').send(PAGE);
    })
    .all(methodNotAllowed(['GET']));
  const assets = express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1h' });
  router.use(ASSETS_PATH, (req, res, next) => {
    res.set('Content-Security-Policy', CSP);
    if (req.method === 'GET' && req.path === '/init.js') {
      res.type('application/javascript').send(INIT);
      return;
    }
    // Anything else in the package folder is a 404 like any unknown path.
    if (ASSETS.has(req.path.slice(1))) assets(req, res, next);
    else next();
  });
  return router;
}
