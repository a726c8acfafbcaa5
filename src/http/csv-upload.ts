import busboy from 'busboy';
import type { Request } from 'express';
import { HttpError } from './errors.ts';
import { failOnMalformedParts, refusedBeforeReading, tooLarge, validation } from './multipart.ts';

/**
 * Reads a multipart/form-data CSV upload into memory: one file part (`file` or `csv_file`) and
 * a few named text fields. The CSV is parsed whole before anything is written, so it is held in
 * memory, bounded by the limit: a larger file is refused with 413 as soon as it crosses it.
 * Campaign uploads (ZensCall's `csv_file`) and the do-not-call import use it too.
 */

export const CSV_FILE_FIELDS = ['file', 'csv_file'] as const;
const MAX_FIELD_BYTES = 4096;

export type CsvUpload = { readonly file: Buffer; readonly fields: Readonly<Record<string, string>> };

export type CsvUploadOptions = {
  readonly maxFileBytes: number;
  /** The text fields allowed beside the file; any other is refused by name. */
  readonly fields: readonly string[];
  /** What a missing file is reported as: the part name the route documents (default `file`). */
  readonly fileField?: string;
};

export function receiveCsvUpload(req: Request, options: CsvUploadOptions): Promise<CsvUpload> {
  const refused = refusedBeforeReading(req, options.maxFileBytes, 'Upload the CSV as multipart/form-data with a "file" (or "csv_file") part.');
  if (refused) return Promise.reject(refused);
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
    failOnMalformedParts(parser, fail);
    parser.on('close', () => {
      if (settled) return;
      if (!reading) return fail(validation(options.fileField ?? 'file', 'Required'));
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
