import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../domain/shared/errors.ts';
import type { AuditDependencies } from '../audit-dependencies.ts';
import { requestContextOf } from '../context.ts';
import { methodNotAllowed } from '../errors.ts';
import { moneyView } from '../views/billing.ts';
import { parseCallId } from '../schemas/calls.ts';
import { renderDispute, type DisputeFormat } from '../../reports/dispute.ts';

const instant = z.iso.datetime({ offset: true });
const date = z.iso.date();

/** `at`: an ISO date-time with offset, or a date (its UTC midnight). Anything else is a 422 naming the parameter. */
function parseAt(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ValidationError('`at` must be one ISO 8601 date-time, e.g. 2026-11-23T10:15:00Z.', { issues: [{ path: 'at', message: 'expected one ISO 8601 date-time' }] });
  }
  const text = raw.trim();
  if (date.safeParse(text).success) return new Date(`${text}T00:00:00Z`).toISOString();
  if (!instant.safeParse(text).success || Number.isNaN(Date.parse(text))) {
    throw new ValidationError('`at` must be an ISO 8601 date-time with a time zone, e.g. 2026-11-23T10:15:00Z.', {
      issues: [{ path: 'at', message: `not an ISO 8601 date-time: ${text.slice(0, 60)}` }],
    });
  }
  return new Date(text).toISOString();
}

const DISPUTE_TYPES: Readonly<Record<DisputeFormat, string>> = { html: 'text/html; charset=utf-8', json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' };

export const disputeReportQuery = z.object({
  format: z.enum(['html', 'json', 'csv']).default('html').meta({ description: 'the format of `calltrail export dispute`: html (default), json or csv' }),
});

function parseFormat(raw: unknown): DisputeFormat {
  const parsed = disputeReportQuery.safeParse({ format: typeof raw === 'string' ? raw.trim().toLowerCase() : raw });
  if (!parsed.success) {
    throw new ValidationError('`format` must be html, json or csv.', { issues: [{ path: 'format', message: 'expected html, json or csv' }] });
  }
  return parsed.data.format;
}

/**
 * GET /api/v1/calls/:id/audit/report — the dispute report `calltrail export dispute <call>` writes,
 * as a download;
 * GET /api/v1/calls/:id/audit — the same report as `calltrail audit call`, for the caller's tenant;
 * GET /api/v1/balance?at=<time> — the balance replayed to that instant. Without `at`, /balance falls
 * through to the live balance route.
 */
export function auditRouter(audit: AuditDependencies): Router {
  const router = Router();
  const callAudit: RequestHandler = async (req, res) => {
    const tenantId = requestContextOf(res).principal.tenantId;
    // A malformed id is answered like an unknown one, before it reaches a query.
    res.json(await audit.callAudit(tenantId, parseCallId(req.params.id)));
  };
  const balanceAt: RequestHandler = async (req, res, next) => {
    if (!Object.hasOwn(req.query, 'at')) return next();
    const at = parseAt(req.query.at);
    const tenantId = requestContextOf(res).principal.tenantId;
    const found = await audit.balanceAt(tenantId, at);
    const currency = found.currency ?? '';
    res.json({
      account_id: found.accountId,
      at: found.at,
      balance: moneyView(found.balanceMinor, currency),
      reserved: moneyView(found.reservedMinor, currency),
      available: moneyView(found.availableMinor, currency),
      currency: found.currency,
      events_applied: found.eventsApplied,
      last_event: found.lastEvent && {
        type: found.lastEvent.type,
        at: found.lastEvent.at,
        event_id: found.lastEvent.eventId,
        call_id: found.lastEvent.callId,
        balance_change_minor: found.lastEvent.balanceChangeMinor,
        reserved_change_minor: found.lastEvent.reservedChangeMinor,
      },
    });
  };
  const disputeReport: RequestHandler = async (req, res) => {
    const tenantId = requestContextOf(res).principal.tenantId;
    const format = parseFormat(req.query.format);
    const callId = parseCallId(req.params.id);
    const { subject, generatedAt } = await audit.callDispute(tenantId, callId);
    res
      .status(200)
      .type(DISPUTE_TYPES[format])
      .set('Content-Disposition', `attachment; filename="dispute-${callId}.${format}"`)
      .set('Cache-Control', 'no-store')
      .send(renderDispute(subject, format, generatedAt));
  };
  router.route('/calls/:id/audit').get(callAudit).all(methodNotAllowed(['GET']));
  router.route('/calls/:id/audit/report').get(disputeReport).all(methodNotAllowed(['GET']));
  router.get('/balance', balanceAt);
  router.get('/credits/balance', balanceAt);
  return router;
}
