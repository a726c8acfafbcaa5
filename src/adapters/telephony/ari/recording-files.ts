import { Readable } from 'node:stream';
import { TelephonyUnavailableError, type RecordingFile } from '../port.ts';
import { AriRequestError, AriUnreachableError, type AriHttp } from './ari-http.ts';

/**
 * Streams a stored recording from whichever node has it. Recordings stay on the PBX that made
 * them; after a restart the adapter no longer knows which one, so every node is asked in turn.
 */
export async function fetchStoredRecording(nodes: readonly AriHttp[], name: string): Promise<RecordingFile | null> {
  const path = `/recordings/stored/${encodeURIComponent(name)}/file`;
  let unreachable: unknown = null;
  for (const http of nodes) {
    let response: Response;
    try {
      response = await http.stream(path);
    } catch (error) {
      if (!(error instanceof AriUnreachableError)) throw error;
      unreachable = error;
      continue;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      continue;
    }
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      throw new AriRequestError(http.node.name, response.status, text, `GET ${path}`);
    }
    const length = response.headers.get('content-length');
    return {
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      contentLength: length === null ? null : Number(length),
      body: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>),
    };
  }
  if (unreachable !== null) throw new TelephonyUnavailableError(`could not reach Asterisk for recording ${name}`, { cause: unreachable });
  return null;
}
