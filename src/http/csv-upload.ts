import busboy from 'busboy';
import type { Request } from 'express';
import { HttpError } from './errors.ts';
import { tooLarge } from './multipart.ts';

/**
 * Reads a multipart/form-data CSV upload into memory: one file part (`file` or `csv_file`) and
 * a few named text fields. The CSV is parsed whole before anything is written, so it is held in
 * memory, bounded by the limit: a larger file is refused with 413 as soon as it crosses it.
 * Campaign uploads (ZensCall's `csv_file`) and the do-not-call import use it too.
 */

export const CSV_FILE_FIELDS = ['file', 'csv_file'] as const;
const MAX_FIELD_BYTES = 4096;
const ENVELOPE_BYTES = 64 * 1024;

export type CsvUpload = { readonly file: Buffer; readonly fields: Readonly<Record<string, string>> };

const validation = (path: string, message: string) =>
  new HttpError(422, 'VALIDATION_ERROR', 'The request is invalid', { issues: [{ path, message }] });

export function receiveCsvUpload(req: Request, options: { maxFileBytes: number; fields: readonly string[] }): Promise<CsvUpload> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Upload the CSV as multipart/form-data with a "file" (or "csv_file") part.'));
  }
  const encoding = (req.get('Content-Encoding') ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    return Promise.reject(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding} is not accepted for uploads.`));
  }
  const declared = Number(req.get('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxFileBytes + ENVELOPE_BYTES) {
    req.resume();
    return Promise.reject(tooLarge(options.maxFileBytes));
  }
  const allowed = new Set(options.fields);

  return new Promise<CsvUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: Math.max(allowed.size, 1), parts: allowed.size + 2, fileSize: options.maxFileBytes, fieldSize: MAX_FIELD_BYTES, headerPairs: 20 },
      });
    } catch (error) {
      reject(new HttpError(400, 'INVALID_MULTIPART', error instanceof Error ? error.message : 'Malformed multipart body'));
      return;
    }
    let settled = false;
    let reading: Promise<Buffer | null> | null = null;
    const fields: Record<string, string> = {};
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };

    parser.on('field', (field, value, info) => {
      if (!allowed.has(field)) return fail(validation(field, 'Unknown field'));
      if (info.valueTruncated) return fail(validation(field, `Must be at most ${MAX_FIELD_BYTES} bytes`));
      fields[field] = value;
    });
    parser.on('file', (field, stream) => {
      if (!(CSV_FILE_FIELDS as readonly string[]).includes(field) || reading !== null) {
        stream.resume();
        return fail(validation(field, reading === null ? 'Unknown field' : 'Upload exactly one file'));
      }
      const chunks: Buffer[] = [];
      let overLimit = false;
      stream.on('limit', () => {
        overLimit = true;
        fail(tooLarge(options.maxFileBytes));
      });
      reading = new Promise<Buffer | null>((done, broken) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => done(overLimit ? null : Buffer.concat(chunks)));
        stream.on('error', broken);
      });
      reading.catch(fail);
    });
    parser.on('partsLimit', () => fail(validation('', 'Too many parts')));
    parser.on('filesLimit', () => fail(validation('file', 'Upload exactly one file')));
    parser.on('fieldsLimit', () => fail(validation('', 'Too many fields')));
    parser.on('error', (error: unknown) =>
      fail(new HttpError(400, 'INVALID_MULTIPART', `Malformed multipart body: ${error instanceof Error ? error.message : String(error)}`)),
    );
    parser.on('close', () => {
      if (settled) return;
      if (!reading) return fail(validation('file', 'Required'));
      reading.then((file) => {
        if (settled || !file) return;
        settled = true;
        resolve({ file, fields });
      }, fail);
    });
    req.on('aborted', () => fail(new HttpError(400, 'BAD_REQUEST', 'The request was aborted')));
    req.pipe(parser);
  });
}
