import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { fakeDependencies, TOKEN_A } from './support/fake-dependencies.ts';

/**
 * Issue 11 §7: a body that claims a Content-Encoding it does not have was a 500. It is the
 * client's fault: 400 when the body cannot be decoded, 415 when the encoding is not one we speak.
 * Raw requests, because an HTTP client library would encode or re-serialise the bytes itself.
 */

const JSON_TEXT = JSON.stringify({ phone_number: '+4915112345678' });

let server: ReturnType<ReturnType<typeof createApp>['listen']>;

beforeAll(async () => {
  server = createApp(fakeDependencies().deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function post(encoding: string, body: Buffer): Promise<{ status: number; body: any }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/calls',
        headers: {
          Authorization: `Bearer ${TOKEN_A}`,
          'Content-Type': 'application/json',
          'Content-Encoding': encoding,
          'Content-Length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const errorBody = (code: string) => ({ error: { code, message: expect.any(String), details: {} } });

describe('Content-Encoding on JSON bodies', () => {
  it.each([
    ['gzip', Buffer.from(JSON_TEXT)],
    ['deflate', Buffer.from(JSON_TEXT)],
    ['br', Buffer.from(JSON_TEXT)],
    ['gzip', gzipSync(JSON_TEXT).subarray(0, 12)],
    ['GZIP', Buffer.from('\u0000\u0001garbage')],
  ])('a %s body that does not decode is 400 INVALID_BODY_ENCODING', async (encoding, body) => {
    const res = await post(encoding, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody('INVALID_BODY_ENCODING'));
  });

  it.each(['compress', 'x-unknown', 'gzip, deflate'])('the unsupported encoding %s is 415', async (encoding) => {
    const res = await post(encoding, Buffer.from(JSON_TEXT));
    expect(res.status).toBe(415);
    expect(res.body).toEqual(errorBody('UNSUPPORTED_MEDIA_TYPE'));
  });

  it.each([
    ['gzip', gzipSync(JSON_TEXT)],
    ['deflate', deflateSync(JSON_TEXT)],
    ['br', brotliCompressSync(JSON_TEXT)],
    ['identity', Buffer.from(JSON_TEXT)],
  ])('a valid %s body still places the call', async (encoding, body) => {
    const res = await post(encoding, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.phone_number).toBe('+4915112345678');
  });
});
