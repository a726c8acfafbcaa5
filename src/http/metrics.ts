import { Router, type RequestHandler } from 'express';
import { OPERATIONS } from './openapi/operations.ts';
import { HttpError, methodNotAllowed } from './errors.ts';
import type { MetricsDependencies } from './metrics-dependencies.ts';

/**
 * Request counts and latency by route template, and GET /metrics for Prometheus. The template is
 * found in the same table the OpenAPI document is built from, so a label is always a documented
 * route and never a path with a tenant's ids in it.
 */

export const METRICS_PATH = '/metrics';
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

type Template = { route: string; pattern: RegExp };

function templatesByMethod(): Map<string, Template[]> {
  const byMethod = new Map<string, Template[]>();
  for (const op of OPERATIONS) {
    const source = op.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '[^/]+');
    const list = byMethod.get(op.method.toUpperCase()) ?? [];
    // Literal segments win over parameters (/calls/outbound before /calls/:id), as in the routers.
    list.push({ route: op.path, pattern: new RegExp(`^${source}/?$`) });
    byMethod.set(op.method.toUpperCase(), list);
  }
  for (const list of byMethod.values()) list.sort((a, b) => (a.route.match(/:/g)?.length ?? 0) - (b.route.match(/:/g)?.length ?? 0));
  return byMethod;
}

export function routeTemplateOf(): (method: string, path: string) => string {
  const byMethod = templatesByMethod();
  return (method, path) => {
    const candidates = byMethod.get(method === 'HEAD' ? 'GET' : method) ?? [];
    return candidates.find((template) => template.pattern.test(path))?.route ?? 'unmatched';
  };
}

export function requestMetrics(metrics: MetricsDependencies): RequestHandler {
  const templateOf = routeTemplateOf();
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Captured now: routers rewrite req.url while they run.
    const method = METHODS.has(req.method) ? req.method : 'OTHER';
    const path = req.path;
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(method, templateOf(method, path), res.statusCode, seconds);
    });
    next();
  };
}

/** GET /metrics with the operator key (`Authorization: Bearer ct_op_…`), as Prometheus' `authorization` setting sends it. */
export function metricsRouter(metrics: MetricsDependencies): Router {
  const router = Router();
  router
    .route(METRICS_PATH)
    .get(async (req, res) => {
      const match = /^Bearer ([A-Za-z0-9._~+/=-]{8,512})$/i.exec((req.get('Authorization') ?? '').trim());
      if (!match || !(await metrics.isOperator(match[1]!))) {
        throw new HttpError(401, 'UNAUTHORIZED', 'The operator API key is required for /metrics', {}, { 'WWW-Authenticate': 'Bearer realm="calltrail-operator"' });
      }
      const { contentType, body } = await metrics.render();
      res.type(contentType).send(body);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
