import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

/**
 * Keeps text the database cannot store out of the system. PostgreSQL's text and jsonb refuse NUL
 * characters and lone UTF-16 surrogates (`"\u0000"`, `"\ud800"`), which JSON itself allows; left
 * in, they surface as a driver error deep in an append. So they are refused at the door: in the
 * URL with 400, in a JSON body with 422 naming the field.
 */

const NUL_IN_URL = /%00|\u0000/i;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const refuseNulInUrl: RequestHandler = (req, _res, next) => {
  if (NUL_IN_URL.test(req.originalUrl)) throw new HttpError(400, 'INVALID_PATH', 'The request URL contains a NUL character');
  next();
};

/** The path of the first key or string that cannot be stored, or null. */
function firstUnstorable(value: unknown, path: string[]): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path.join('.') : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = [...path, key];
    if (UNSTORABLE.test(key)) return here.join('.');
    const found = firstUnstorable(inner, here);
    if (found !== null) return found;
  }
  return null;
}

export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  const path = firstUnstorable(req.body, []);
  if (path !== null) {
    throw new HttpError(422, 'VALIDATION_ERROR', 'The request is invalid', {
      issues: [{ path, message: 'Text may not contain NUL characters or unpaired surrogates' }],
    });
  }
  next();
};
