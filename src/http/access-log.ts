import type { RequestHandler } from 'express';
import type { Logger } from './dependencies.ts';
import { requestIdsOf } from './context.ts';

/**
 * One line per finished request. Only the path is logged, never the query string or headers:
 * those are where clients put keys by mistake.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Captured now: routers rewrite req.url while they run.
    const path = req.path;
    res.on('finish', () => {
      logger.info('request', {
        ...requestIdsOf(res),
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
      });
    });
    next();
  };
}
