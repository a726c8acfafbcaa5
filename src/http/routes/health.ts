import { Router } from 'express';
import type { AppDependencies, HealthReport, Logger } from '../dependencies.ts';

/**
 * Unauthenticated probes. `/health` says the process serves HTTP (liveness); `/health/ready` says
 * whether its dependencies answer (readiness), naming the ones that do not.
 */

const failingComponents = (report: HealthReport): string[] =>
  Object.entries(report.components)
    .filter(([, component]) => !component.ok)
    .map(([name]) => name);

export function healthRouter(deps: Pick<AppDependencies, 'health'>, logger: Logger | undefined): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/health/ready', async (_req, res) => {
    let report: HealthReport;
    try {
      report = await deps.health();
    } catch (error) {
      // A probe that throws is itself a failing check; the orchestrator needs a 503, not a 500.
      logger?.error('health check failed', { error: error instanceof Error ? error.message : String(error) });
      report = { ok: false, components: { health_check: { ok: false, detail: 'health check failed' } } };
    }
    const failing = failingComponents(report);
    const ready = report.ok && failing.length === 0;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', failing, components: report.components });
  });

  return router;
}
