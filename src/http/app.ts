import express from 'express';
import type { AppDependencies } from './dependencies.ts';
import { accessLog } from './access-log.ts';
import { requireApiKey } from './auth.ts';
import { jsonBody } from './body.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { afterAuthentication, afterBody, mountPublicRoutes, mountResourceRoutes } from './front-door-routes.ts';
import { requestIds } from './request-ids.ts';
import { refuseNulInUrl } from './text-guard.ts';
import { recordWrites, waitForPosition } from './consistency/middleware.ts';
import { AUDIO_PATH, audioRouter } from './routes/audio.ts';
import { CALLS_PATH, callsRouter } from './routes/calls.ts';
import { MEDIA_PATH, mediaRouter } from './routes/media.ts';
import { healthRouter } from './routes/health.ts';
import { docsRouter } from './routes/docs.ts';
import { consoleRouter } from './routes/console.ts';
import { metricsRouter, requestMetrics } from './metrics.ts';
import { recordingsRouter } from './routes/recordings.ts';
import { balanceRouter } from './routes/balance.ts';
import { auditRouter } from './routes/audit.ts';
import { creditsUsageRouter, operatorCreditsRouter } from './routes/credits.ts';
import { ratePlansRouter } from './routes/rate-plans.ts';
import { CONTACTS_PATH, contactsRouter } from './routes/contacts.ts';
import { CONTACT_LISTS_PATH, contactListsRouter } from './routes/contact-lists.ts';
import { CAMPAIGNS_PATH, campaignsRouter } from './routes/campaigns.ts';
import { DNC_PATH, dncRouter, OPERATOR_DNC_PATH, operatorDncRouter } from './routes/dnc.ts';
import { WEBHOOKS_PATH, webhooksRouter } from './routes/webhooks.ts';
import { EVENTS_PATH, eventsRouter } from './routes/events.ts';
import { OPERATOR_PATH, operatorRouter } from './routes/operator.ts';

/**
 * The query and command API. It holds no state: commands go to deps.calls, reads come from read
 * models through deps.calls, and every failure is rendered by errorHandler.
 */
export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.use(requestIds);
  if (deps.metrics) app.use(requestMetrics(deps.metrics), metricsRouter(deps.metrics));
  app.use(refuseNulInUrl);
  if (deps.logger) app.use(accessLog(deps.logger));
  if (deps.consistency) app.use(recordWrites(deps.consistency));

  app.use(healthRouter(deps, deps.logger));
  // The OpenAPI document and its viewer need no key: they describe the API, not a tenant's data.
  app.use(docsRouter());
  // The web console is static files that call /api/v1 like any client; it carries no data itself.
  app.use(consoleRouter());

  mountPublicRoutes(app, deps);
  // The PBX fetches audio here with a signed token instead of an API key.
  app.use(MEDIA_PATH, mediaRouter(deps));
  // Operator-only billing routes take the operator key, not an account's, so they come first.
  if (deps.billing) app.use('/api/v1', operatorCreditsRouter(deps.billing), ratePlansRouter(deps.billing));
  if (deps.dnc) app.use(OPERATOR_DNC_PATH, operatorDncRouter(deps.dnc));
  if (deps.operator) app.use(OPERATOR_PATH, operatorRouter(deps.operator));
  // Authenticate before parsing: an anonymous client cannot make us read its body.
  // A read that waits for its position waits only once the caller is known and within its rate limit.
  const waitsForPosition = deps.consistency ? [waitForPosition(deps.consistency)] : [];
  app.use('/api/v1', requireApiKey(deps), ...afterAuthentication(deps), ...waitsForPosition, jsonBody(), ...afterBody(deps));
  mountResourceRoutes(app, deps);
  app.use(CALLS_PATH, callsRouter(deps));
  app.use(AUDIO_PATH, audioRouter(deps));
  app.use(CONTACTS_PATH, contactsRouter(deps));
  app.use(CONTACT_LISTS_PATH, contactListsRouter(deps));
  app.use(CAMPAIGNS_PATH, campaignsRouter(deps));
  app.use(DNC_PATH, dncRouter(deps));
  app.use(WEBHOOKS_PATH, webhooksRouter(deps));
  if (deps.events) app.use(EVENTS_PATH, eventsRouter(deps.events));
  if (deps.recordings) app.use(CALLS_PATH, recordingsRouter(deps.recordings));
  // Before the balance route: GET /balance?at=… is the point-in-time balance; without `at` it falls through.
  if (deps.audit) app.use('/api/v1', auditRouter(deps.audit));
  if (deps.billing) app.use('/api/v1', balanceRouter(deps.billing), creditsUsageRouter(deps.billing));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
