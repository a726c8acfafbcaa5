import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { AppDependencies } from '../dependencies.ts';
import { requestContextOf } from '../context.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';
import { callNotFound, parseCallId } from '../schemas/calls.ts';

/**
 * /api/v1/calls/:id/recordings. The list comes from the read model; the audio itself stays on the
 * PBX that recorded it and is streamed through from Asterisk's stored-recordings endpoint.
 */
export function recordingsRouter(recordings: NonNullable<AppDependencies['recordings']>): Router {
  const router = Router();

  router
    .route('/:id/recordings')
    .get(async (req, res) => {
      const callId = parseCallId(req.params.id);
      const list = await recordings.list(requestContextOf(res).principal.tenantId, callId);
      if (!list) throw callNotFound();
      res.json({
        data: list.map((recording) => ({
          name: recording.name,
          format: recording.format,
          duration_seconds: recording.durationSeconds,
          stored_at: recording.storedAt,
          url: `/api/v1/calls/${callId}/recordings/${encodeURIComponent(recording.name)}`,
        })),
      });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:id/recordings/:name')
    .get(async (req, res) => {
      const callId = parseCallId(req.params.id);
      const file = await recordings.file(requestContextOf(res).principal.tenantId, callId, String(req.params.name));
      if (!file) throw new HttpError(404, 'RECORDING_NOT_FOUND', 'This call has no recording with that name.');
      res.status(200).type(file.contentType);
      if (file.contentLength !== null) res.setHeader('Content-Length', String(file.contentLength));
      await pipeline(Readable.from(file.body), res);
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
