import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import type { MediaDependencies } from '../audio-dependencies.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';

/**
 * /media/<audio id>.wav?token=… — what Asterisk's HTTP media cache fetches. No API key: the token
 * is an HMAC over the id, the format and an expiry. A forged, missing or expired token is 403; the
 * token is checked before anything about the file is looked up, so ids reveal nothing.
 */

export const MEDIA_PATH = '/media';

const FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(wav)$/i;
/** Asterisk revalidates with If-None-Match once this runs out (or the token does, if sooner). */
const MAX_CACHE_SECONDS = 3600;

export function mediaRouter(deps: { media?: MediaDependencies }): Router {
  const router = Router();

  router
    .route('/:file')
    .get(async (req, res) => {
      const media = deps.media;
      const match = FILE.exec(req.params.file ?? '');
      if (!media || !match) throw new HttpError(404, 'NOT_FOUND', 'No such media');
      const audioId = match[1]!.toLowerCase();
      const format = match[2]!.toLowerCase();
      const token = req.query.token;
      const check = media.verify(audioId, format, token);
      if (check === 'expired') throw new HttpError(403, 'MEDIA_TOKEN_EXPIRED', 'This media link has expired.');
      if (check !== 'ok') throw new HttpError(403, 'MEDIA_TOKEN_INVALID', 'This media link is not valid.');

      const file = await media.open(audioId, format);
      if (!file) throw new HttpError(404, 'MEDIA_NOT_FOUND', 'This audio file no longer exists.');
      const maxAge = Math.min(MAX_CACHE_SECONDS, media.remainingSeconds(String(token)));
      res.set({ 'Cache-Control': `private, max-age=${maxAge}`, ETag: file.etag, 'Content-Type': 'audio/wav' });
      if (req.get('If-None-Match') === file.etag) {
        file.body.destroy();
        res.status(304).end();
        return;
      }
      res.set('Content-Length', String(file.sizeBytes));
      if (req.method === 'HEAD') {
        file.body.destroy();
        res.status(200).end();
        return;
      }
      res.status(200);
      await pipeline(file.body, res);
    })
    .all(methodNotAllowed(['GET', 'HEAD']));

  return router;
}
