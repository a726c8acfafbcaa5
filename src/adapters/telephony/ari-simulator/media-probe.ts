import { isWav, wavDurationMs } from './wav.ts';

export type MediaProbe = { readonly ok: true; readonly durationMs: number | null } | { readonly ok: false; readonly reason: string };

/**
 * Asterisk fetches `sound:http(s)://…` media before it can play it. A playback only starts when the
 * URL answers 200 with audio: an `audio/*` content type, or a body that is plainly a WAV file.
 */
export async function probeHttpMedia(url: string, timeoutMs: number, abort: AbortController): Promise<MediaProbe> {
  try {
    const response = await fetch(url, { signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]) });
    if (response.status !== 200) {
      await response.body?.cancel();
      return { ok: false, reason: `HTTP ${response.status}` };
    }
    const body = new Uint8Array(await response.arrayBuffer());
    const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
    const wav = isWav(body);
    if (!contentType.startsWith('audio/') && !wav) return { ok: false, reason: `not audio (${contentType || 'no content type'})` };
    return { ok: true, durationMs: wav ? wavDurationMs(body) : null };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
