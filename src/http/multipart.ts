import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { ReceivedUpload } from './audio-dependencies.ts';
import { HttpError } from './errors.ts';

/**
 * Streams a multipart/form-data upload with one `file` part (and an optional `name` field) into a
 * folder, hashing it on the way. The file never sits in memory, and a file larger than the limit is
 * refused with 413 as soon as it crosses it.
 */

const MAX_NAME_BYTES = 1024;
/** Room for the boundaries and the part headers beside the file itself. */
const ENVELOPE_BYTES = 64 * 1024;

export type MultipartLimits = { readonly maxFileBytes: number };

export const validation = (path: string, message: string): HttpError =>
  new HttpError(422, 'VALIDATION_ERROR', 'The request is invalid', { issues: [{ path, message }] });

/** Too many parts, files or fields, or a body busboy cannot read: the client's mistake, told as such. */
export function failOnMalformedParts(parser: busboy.Busboy, fail: (error: unknown) => void): void {
  parser.on('partsLimit', () => fail(validation('', 'Too many parts')));
  parser.on('filesLimit', () => fail(validation('file', 'Upload exactly one file')));
  parser.on('fieldsLimit', () => fail(validation('', 'Too many fields')));
  parser.on('error', (error: unknown) =>
    fail(new HttpError(400, 'INVALID_MULTIPART', `Malformed multipart body: ${error instanceof Error ? error.message : String(error)}`)),
  );
}

export function tooLarge(maxFileBytes: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${maxFileBytes} bytes.`, { max_bytes: maxFileBytes }, {
    Connection: 'close',
  });
}

/**
 * What refuses an upload before a byte of it is read: not multipart (415, with `hint` saying how to
 * send it), compressed (415), or declared larger than the limit (413). Null when it may be read.
 */
export function refusedBeforeReading(req: Request, maxFileBytes: number, hint: string): HttpError | null {
  if (!req.is('multipart/form-data')) return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', hint);
  const encoding = (req.get('Content-Encoding') ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    // Refused rather than inflated: a compressed body is how a few KB become gigabytes.
    return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding} is not accepted for uploads.`);
  }
  const declared = Number(req.get('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxFileBytes + ENVELOPE_BYTES) {
    req.resume();
    return tooLarge(maxFileBytes);
  }
  return null;
}

export function receiveAudioUpload(req: Request, dir: string, limits: MultipartLimits): Promise<ReceivedUpload> {
  const refused = refusedBeforeReading(req, limits.maxFileBytes, 'Upload audio as multipart/form-data with a "file" part.');
  if (refused) return Promise.reject(refused);

  return new Promise<ReceivedUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 4, parts: 5, fileSize: limits.maxFileBytes, fieldSize: MAX_NAME_BYTES, headerPairs: 20 },
      });
    } catch (error) {
      reject(new HttpError(400, 'INVALID_MULTIPART', error instanceof Error ? error.message : 'Malformed multipart body'));
      return;
    }
    let settled = false;
    let writing: Promise<ReceivedUpload | null> | null = null;
    let name: string | null = null;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume(); // drain what the client still sends, so it hears our answer
      reject(error);
    };

    parser.on('field', (field, value, info) => {
      if (field !== 'name') return fail(validation(field, 'Unknown field'));
      if (info.valueTruncated) return fail(validation('name', `Must be at most ${MAX_NAME_BYTES} bytes`));
      name = value;
    });
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || writing !== null) {
        stream.resume();
        return fail(validation(field, field === 'file' ? 'Upload exactly one file' : 'Unknown field'));
      }
      const hash = createHash('sha256');
      let size = 0;
      let overLimit = false;
      stream.on('limit', () => {
        overLimit = true;
        fail(tooLarge(limits.maxFileBytes));
      });
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      const path = join(dir, 'upload');
      writing = pipeline(stream, counter, createWriteStream(path, { flags: 'wx', mode: 0o600 })).then(
        () => (overLimit ? null : { path, sizeBytes: size, sha256: hash.digest('hex'), name: info.filename ? baseName(info.filename) : null }),
      );
      writing.catch(fail);
    });
    failOnMalformedParts(parser, fail);
    parser.on('close', () => {
      if (settled) return;
      if (!writing) return fail(validation('file', 'Required'));
      writing.then((file) => {
        if (settled || !file) return;
        settled = true;
        resolve({ ...file, name: name ?? file.name });
      }, fail);
    });
    req.on('aborted', () => fail(new HttpError(400, 'BAD_REQUEST', 'The request was aborted')));
    req.pipe(parser);
  });
}

/** Browsers send a bare file name; some tools send a path. Keep the last segment, without its extension. */
function baseName(filename: string): string {
  const last = filename.split(/[\\/]/).pop() ?? filename;
  return last.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 200);
}
