import express from 'express';
import type { AppDependencies } from './dependencies.ts';
import { accessLog } from './access-log.ts';
import { requireApiKey } from './auth.ts';
import { jsonBody } from './body.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { requestIds } from './request-ids.ts';
import { CALLS_PATH, callsRouter } from './routes/calls.ts';
import { healthRouter } from './routes/health.ts';
import { recordingsRouter } from './routes/recordings.ts';

/**
 * The query and command API. It holds no state: commands go to deps.calls, reads come from read
 * models through deps.calls, and every failure is rendered by errorHandler.
 */
export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.use(requestIds);
  if (deps.logger) app.use(accessLog(deps.logger));

  app.use(healthRouter(deps, deps.logger));

  // Authenticate before parsing: an anonymous client cannot make us read its body.
  app.use('/api/v1', requireApiKey(deps), jsonBody());
  app.use(CALLS_PATH, callsRouter(deps));
  if (deps.recordings) app.use(CALLS_PATH, recordingsRouter(deps.recordings));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
