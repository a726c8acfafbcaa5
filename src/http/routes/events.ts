import { Router, type Request, type RequestHandler } from 'express';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { decodePosition } from '../consistency/position-token.ts';
import { requestContextOf } from '../context.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';
import type { EventsDependencies } from '../events-dependencies.ts';
import { eventSummary } from '../views/event-summary.ts';

export const EVENTS_PATH = '/api/v1/events';

/** How long a client waits before reconnecting after the stream ends (the SSE `retry` field). */
const RETRY_MS = 3_000;

/**
 * GET /api/v1/events/stream — the tenant's events as Server-Sent Events, for the console. The
 * credential travels in the Authorization header like on every route (the console reads with
 * fetch, not EventSource); a token in the query string is never accepted, since URLs end up in logs.
 * Each event is a summary (src/http/views/event-summary.ts) with its log position as the SSE id,
 * so Last-Event-ID (or ?after=) resumes, and the same token works as Calltrail-Position on a read.
 */
export function eventsRouter(events: EventsDependencies): Router {
  const router = Router();
  const stream: RequestHandler = (req, res) => {
    const { principal } = requestContextOf(res);
    const after = resumePosition(req);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back until the buffer fills.
      'X-Accel-Buffering': 'no',
    });
    // Express answers HEAD with the GET handler: the headers say what a GET gets, and no stream opens.
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.flushHeaders();
    res.write(`retry: ${RETRY_MS}\n\n`);

    let open = true;
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), events.heartbeatMs);
    const lifetime = setTimeout(() => close(), events.maxConnectionMs);
    let stop: (() => void) | null = null;
    const following = events.follow(principal.tenantId, after, {
      event(event) {
        const summary = eventSummary(event);
        if (!summary || !open) return;
        res.write(`id: ${summary.position}\nevent: ${summary.type}\ndata: ${JSON.stringify(summary)}\n\n`);
      },
      end: () => close(),
      truncated() {
        if (open) res.write(`event: truncated\ndata: ${JSON.stringify({ reason: 'resume_too_far_behind' })}\n\n`);
      },
    });
    function close(): void {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      stop?.();
      res.end();
    }
    // The feed may have ended already (the engine is stopping), before follow even returned.
    if (open) stop = following;
    else following();
    // The client went away: its subscription is released at once.
    res.on('close', close);
  };
  router.route('/stream').get(stream).all(methodNotAllowed(['GET']));
  return router;
}

/** Last-Event-ID (what a reconnecting SSE client sends) or `?after=`; neither: live from now. */
function resumePosition(req: Request): GlobalPosition | null {
  const header = req.get('Last-Event-ID')?.trim();
  if (header) return decoded(header, 'Last-Event-ID');
  const after = req.query.after;
  if (after === undefined) return null;
  if (typeof after !== 'string' || after.trim() === '') throw invalidPosition('after');
  return decoded(after.trim(), 'after');
}

function decoded(token: string, name: string): GlobalPosition {
  const position = decodePosition(token);
  if (!position) throw invalidPosition(name);
  return position;
}

function invalidPosition(name: string): HttpError {
  return new HttpError(400, 'INVALID_POSITION', `${name} must be the id of an event from this stream`, { parameter: name });
}
