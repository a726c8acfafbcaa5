import express from 'express';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors.ts';
import { refuseUnstorableText } from './text-guard.ts';

/**
 * JSON bodies only. A body of another type is refused (415) instead of being silently ignored,
 * which would otherwise surface as a confusing "phone_number is required".
 */

export const JSON_BODY_LIMIT = '16kb';

const JSON_TYPES = ['application/json', 'application/*+json'];

function hasBody(req: Request): boolean {
  if (req.get('Transfer-Encoding') !== undefined) return true;
  const length = req.get('Content-Length');
  return length !== undefined && length !== '0';
}

/**
 * Paths under /api/v1 whose handlers stream multipart/form-data themselves (audio uploads, CSV
 * imports, ZensCall's campaign create). Only multipart is let through there; any other non-JSON
 * body is still refused here.
 */
export const MULTIPART_PATHS: ReadonlySet<string> = new Set(['/audio', '/contacts/import', '/campaigns', '/compliance/dnc/import']);

/** CSV imports into one list: /contact-lists/<id>/import. */
const MULTIPART_PATTERNS: readonly RegExp[] = [/^\/contact-lists\/[^/]+\/import$/];

const isMultipartPath = (path: string): boolean => MULTIPART_PATHS.has(path) || MULTIPART_PATTERNS.some((pattern) => pattern.test(path));

const isMultipartUpload = (req: Request): boolean =>
  isMultipartPath(req.path.replace(/\/+$/, '')) && Boolean(req.is('multipart/form-data'));

const requireJsonType: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is(JSON_TYPES) && !isMultipartUpload(req)) {
    next(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json'));
    return;
  }
  next();
};

export function jsonBody(limit: string = JSON_BODY_LIMIT): RequestHandler[] {
  return [requireJsonType, express.json({ limit, strict: true, type: JSON_TYPES }), refuseUnstorableText];
}
