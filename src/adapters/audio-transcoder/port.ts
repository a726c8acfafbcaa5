import type { AudioContainer, AudioRejectionReason } from '../../domain/audio/events.ts';

/** What decoding the start of an upload says it is. */
export type ProbedAudio = {
  readonly container: AudioContainer;
  readonly codec: string;
  /** From the file's own header or index; null when the file does not say. */
  readonly declaredDurationMs: number | null;
  readonly sampleRate: number | null;
  readonly channels: number | null;
};

export type TranscodeLimits = {
  /** Longest audio accepted. Decoding stops a little past it, so a file cannot make us decode forever. */
  readonly maxDurationMs: number;
  /** Wall-clock limit for one tool run; the process is killed after it. */
  readonly timeoutMs: number;
};

/** A playable file written into the caller's folder. */
export type TranscodedAudio = {
  readonly path: string;
  readonly format: 'wav';
  readonly codec: 'pcm_s16le';
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationMs: number;
  readonly sizeBytes: number;
};

/**
 * Decodes uploads to validate them and turns them into what Asterisk plays natively. Every refusal
 * is an AudioRejection naming why; a missing tool is an AudioToolUnavailableError.
 */
export interface AudioTranscoder {
  probe(file: string, sizeBytes: number, limits: TranscodeLimits): Promise<ProbedAudio>;
  /** Decodes the whole file (which is what proves it is not truncated or corrupt) into 8 kHz mono WAV. */
  transcode(file: string, probed: ProbedAudio, outputDir: string, limits: TranscodeLimits): Promise<TranscodedAudio>;
}

/** The upload is not acceptable audio. */
export class AudioRejection extends Error {
  constructor(
    readonly reason: AudioRejectionReason,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AudioRejection';
  }
}

/** The decoding tool is missing or cannot run on this machine: the operator must install it. */
export class AudioToolUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudioToolUnavailableError';
  }
}
