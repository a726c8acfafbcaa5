import { z } from 'zod';

/**
 * The audio library's events: one zod schema each, the contract for storage and the audio read
 * model. An upload is recorded before it is transcoded, so a file that is still being processed is
 * a visible state (calls naming it are refused with 409), and an interrupted one is never mistaken
 * for a ready one.
 */

const instant = z.iso.datetime({ offset: true });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** Containers accepted for upload, as detected by decoding (never by the file's name). */
export const AUDIO_CONTAINERS = ['wav', 'mp3', 'ogg'] as const;
export type AudioContainer = (typeof AUDIO_CONTAINERS)[number];

/** What calltrail keeps for playback. `wav` is 8 kHz 16-bit mono PCM: Asterisk's native slin. */
export const PLAYBACK_FORMATS = ['wav'] as const;
export type PlaybackFormat = (typeof PLAYBACK_FORMATS)[number];

export const AudioUploaded = z.object({
  audioId: z.string().min(1),
  tenantId: z.string().min(1),
  name: z.string().min(1).max(200),
  original: z.object({
    container: z.enum(AUDIO_CONTAINERS),
    codec: z.string().min(1).max(50),
    sizeBytes: z.number().int().positive(),
    sha256,
    /** What the file's own header says; the decoded length is the truth (AudioProcessed). */
    declaredDurationMs: z.number().int().nonnegative().nullable(),
    sampleRate: z.number().int().positive().nullable(),
    channels: z.number().int().positive().nullable(),
  }),
  uploadedAt: instant,
});

export const PlaybackFile = z.object({
  format: z.enum(PLAYBACK_FORMATS),
  codec: z.literal('pcm_s16le'),
  sampleRate: z.number().int().positive(),
  channels: z.number().int().positive(),
  sizeBytes: z.number().int().positive(),
  sha256,
  /** Where the storage port keeps it. */
  key: z.string().min(1),
});

export const AudioProcessed = z.object({
  audioId: z.string().min(1),
  /** Measured by decoding the whole file. */
  durationMs: z.number().int().positive(),
  originalKey: z.string().min(1),
  formats: z.array(PlaybackFile).min(1),
  processedAt: instant,
});

export const AUDIO_REJECTION_REASONS = [
  'empty',
  'not_audio',
  'unsupported_format',
  'corrupt',
  'truncated',
  'header_mismatch',
  'too_long',
  'decoded_too_large',
  'processing_timeout',
  'interrupted',
] as const;
export type AudioRejectionReason = (typeof AUDIO_REJECTION_REASONS)[number];

export const AudioRejected = z.object({
  audioId: z.string().min(1),
  reason: z.enum(AUDIO_REJECTION_REASONS),
  message: z.string().max(500),
  rejectedAt: instant,
});

export const AudioDeleted = z.object({
  audioId: z.string().min(1),
  deletedAt: instant,
});

export const audioEventSchemas = { AudioUploaded, AudioProcessed, AudioRejected, AudioDeleted } as const;

export type AudioEventType = keyof typeof audioEventSchemas;

export type AudioEvent = {
  [K in AudioEventType]: { readonly type: K; readonly data: z.infer<(typeof audioEventSchemas)[K]> };
}[AudioEventType];

export type AudioEventOf<K extends AudioEventType> = Extract<AudioEvent, { type: K }>;

export const CURRENT_AUDIO_SCHEMA_VERSION: Record<AudioEventType, number> = {
  AudioUploaded: 1,
  AudioProcessed: 1,
  AudioRejected: 1,
  AudioDeleted: 1,
};

export function isAudioEventType(type: string): type is AudioEventType {
  return Object.hasOwn(audioEventSchemas, type);
}
