import { Router } from 'express';
import { z } from 'zod';
import { pipeline } from 'node:stream/promises';
import type { AudioDependencies, MediaDependencies } from '../audio-dependencies.ts';
import { requestContextOf } from '../context.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';
import { receiveAudioUpload } from '../multipart.ts';
import { audioView } from '../views/audio.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';

/**
 * /api/v1/audio: the tenant's audio library. Uploads are multipart (body.ts lets this path through);
 * reads come from the read model and are scoped to the caller's tenant.
 */

export const AUDIO_PATH = '/api/v1/audio';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const wholeNumber = (max: number) =>
  z.string().regex(/^\d{1,9}$/, 'Must be a whole number').transform(Number).pipe(z.number().int().min(1).max(max));

/** Also read by the OpenAPI document (src/http/openapi). */
export const listAudioQuery = z
  .object({ page: wholeNumber(100_000).optional(), per_page: wholeNumber(100).optional(), limit: wholeNumber(100).optional() })
  .transform((q) => ({ page: q.page ?? 1, perPage: q.per_page ?? q.limit ?? 20 }));

const audioNotFound = () => new NotFoundError('AUDIO_NOT_FOUND', 'No audio file with this id exists in your account.');

function parseAudioId(raw: unknown): string {
  if (typeof raw !== 'string' || !UUID.test(raw)) throw audioNotFound();
  return raw.toLowerCase();
}

function featureOf(deps: { audio?: AudioDependencies }): AudioDependencies {
  if (!deps.audio) throw new HttpError(404, 'NOT_FOUND', 'The audio library is not enabled');
  return deps.audio;
}

export function audioRouter(deps: { audio?: AudioDependencies; media?: MediaDependencies }): Router {
  const router = Router();

  router
    .route('/')
    .post(async (req, res) => {
      const audio = featureOf(deps);
      const ctx = requestContextOf(res);
      const record = await audio.upload(ctx, (dir) => receiveAudioUpload(req, dir, { maxFileBytes: audio.maxUploadBytes }));
      res.status(201).location(`${AUDIO_PATH}/${record.audioId}`).json(audioView(record));
    })
    .get(async (req, res) => {
      const audio = featureOf(deps);
      const query = listAudioQuery.parse(req.query);
      const { rows, total } = await audio.list(requestContextOf(res).principal.tenantId, query);
      res.json({
        data: rows.map(audioView),
        pagination: { page: query.page, per_page: query.perPage, total, total_pages: Math.ceil(total / query.perPage) },
      });
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const found = await featureOf(deps).get(requestContextOf(res).principal.tenantId, parseAudioId(req.params.id));
      if (!found) throw audioNotFound();
      res.json(audioView(found));
    })
    .delete(async (req, res) => {
      await featureOf(deps).delete(requestContextOf(res), parseAudioId(req.params.id));
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'DELETE']));

  // The 8 kHz WAV the PBX plays, for the tenant's own ears (the console's player): the same file
  // as /media/<id>.wav, behind the API key instead of a signed link.
  router
    .route('/:id/file')
    .get(async (req, res) => {
      const audioId = parseAudioId(req.params.id);
      const found = await featureOf(deps).get(requestContextOf(res).principal.tenantId, audioId);
      if (!found || found.status === 'deleted') throw audioNotFound();
      if (found.status !== 'ready') throw new HttpError(409, 'AUDIO_NOT_READY', 'This audio file is not ready to play.');
      const file = deps.media ? await deps.media.open(audioId, 'wav') : null;
      if (!file) throw audioNotFound();
      res.set({ 'Content-Type': 'audio/wav', 'Content-Length': String(file.sizeBytes), 'Cache-Control': 'private, no-store' });
      await pipeline(file.body, res);
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
