import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, type EngineConfig } from './config.ts';

/** The audio library's settings, read from the same environment as the rest of the config. */
/** Read by src/app/settings.ts, which checks every setting at start. */
export const schema = z.object({
  AUDIO_DIR: z.string().min(1).optional(),
  AUDIO_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).max(1024 * 1024 * 1024).default(20 * 1024 * 1024),
  AUDIO_MAX_DURATION_SECONDS: z.coerce.number().int().min(1).max(4 * 3600).default(600),
  AUDIO_PROCESSING_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  AUDIO_MAX_CONCURRENT_TRANSCODES: z.coerce.number().int().min(1).max(64).default(2),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  MEDIA_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MEDIA_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(3600),
  MEDIA_TOKEN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(300),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export type AudioConfig = {
  readonly dir: string;
  readonly maxUploadBytes: number;
  readonly maxDurationMs: number;
  readonly timeoutMs: number;
  readonly maxConcurrentTranscodes: number;
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** Given, or null: then one is generated and kept in `secretFile`. */
  readonly signingSecret: string | null;
  readonly secretFile: string;
  readonly tokenTtlSeconds: number;
  readonly tokenWindowSeconds: number;
  /** Given, or null: then the engine's own listen URL. */
  readonly publicUrl: string | null;
};

export function loadAudioConfig(config: Pick<EngineConfig, 'env' | 'dataDir'>): AudioConfig {
  const parsed = schema.safeParse(config.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  return {
    dir: c.AUDIO_DIR ?? join(config.dataDir, 'audio'),
    maxUploadBytes: c.AUDIO_MAX_UPLOAD_BYTES,
    maxDurationMs: c.AUDIO_MAX_DURATION_SECONDS * 1000,
    timeoutMs: c.AUDIO_PROCESSING_TIMEOUT_SECONDS * 1000,
    maxConcurrentTranscodes: c.AUDIO_MAX_CONCURRENT_TRANSCODES,
    ffmpegPath: c.FFMPEG_PATH,
    ffprobePath: c.FFPROBE_PATH,
    signingSecret: c.MEDIA_SIGNING_SECRET ?? null,
    secretFile: join(config.dataDir, 'media-signing-secret'),
    tokenTtlSeconds: c.MEDIA_TOKEN_TTL_SECONDS,
    tokenWindowSeconds: c.MEDIA_TOKEN_WINDOW_SECONDS,
    publicUrl: c.PUBLIC_URL ?? null,
  };
}
