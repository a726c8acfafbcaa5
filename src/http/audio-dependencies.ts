import type { Readable } from 'node:stream';
import type { AudioRecord, ListAudioQuery } from '../projections/audio/types.ts';
import type { RequestContext } from './dependencies.ts';

/** An upload streamed into the work folder by the multipart parser. */
export type ReceivedUpload = { path: string; sizeBytes: number; sha256: string; name: string | null };

/** What the audio routes need; optional in AppDependencies so apps without the feature still build. */
export interface AudioDependencies {
  readonly maxUploadBytes: number;
  /** `receive` streams the request into the folder it is given; the folder is removed afterwards. */
  upload(ctx: RequestContext, receive: (workDir: string) => Promise<ReceivedUpload>): Promise<AudioRecord>;
  list(tenantId: string, query: ListAudioQuery): Promise<{ rows: AudioRecord[]; total: number }>;
  get(tenantId: string, audioId: string): Promise<AudioRecord | null>;
  /** Throws AUDIO_NOT_FOUND (404), AUDIO_IN_USE (409) or AUDIO_NOT_READY (409). */
  delete(ctx: RequestContext, audioId: string): Promise<void>;
}

/** The PBX-facing media route: no API key, a signed expiring token instead. */
export interface MediaDependencies {
  verify(audioId: string, format: string, token: unknown): 'ok' | 'expired' | 'invalid';
  /** Seconds the (valid) token has left; used to bound Cache-Control. */
  remainingSeconds(token: string): number;
  open(audioId: string, format: string): Promise<{ body: Readable; sizeBytes: number; etag: string } | null>;
}
