import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { AudioStorage } from '../../adapters/audio-storage/port.ts';
import type { EventStore } from '../../adapters/eventstore/port.ts';
import { AudioRejection, type AudioTranscoder, type TranscodeLimits } from '../../adapters/audio-transcoder/port.ts';
import {
  audioDecider,
  audioEventSchemas,
  audioNotFound,
  CURRENT_AUDIO_SCHEMA_VERSION,
  type AudioCommand,
  type AudioEvent,
  type AudioState,
} from '../../domain/audio/index.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { audioStream } from '../../domain/shared/streams.ts';
import { foldAudioRecord } from '../../projections/audio/fold.ts';
import type { AudioRecord } from '../../projections/audio/types.ts';
import { CommandHandler } from '../command-handler.ts';
import type { CommandContext } from '../decider.ts';
import { zodCodec } from '../zod-codec.ts';
import { Limiter } from './limiter.ts';
import { noAudioUsage, type AudioUsage } from './audio-usage.ts';

export type AudioCaller = {
  readonly tenantId: string;
  readonly actor: string;
  readonly correlationId: string;
  readonly requestId: string;
};

/** An upload as received into the work folder: whole, hashed while it streamed in. */
export type ReceivedAudio = {
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** The `name` field, else the client's file name. */
  readonly name: string | null;
};

export type AudioLimits = TranscodeLimits & {
  readonly maxUploadBytes: number;
  readonly maxConcurrentTranscodes: number;
};

export type AudioReadiness =
  | { readonly status: 'missing' }
  | { readonly status: 'processing' | 'rejected' | 'deleted' }
  | {
      readonly status: 'ready';
      readonly durationMs: number;
      readonly formats: ReadonlyArray<{ format: string; key: string; sha256: string; sizeBytes: number }>;
    };

type Logger = { error(message: string, fields?: object): void };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id is answered like an unknown one. */
export function parseAudioId(raw: unknown): string | null {
  return typeof raw === 'string' && UUID.test(raw) ? raw.toLowerCase() : null;
}

export const audioCodec = zodCodec<AudioEvent>(audioEventSchemas, CURRENT_AUDIO_SCHEMA_VERSION);

/**
 * The audio library's use cases. An upload is received into a private work folder, decoded to
 * prove it is audio, recorded (AudioUploaded), transcoded, stored and marked ready
 * (AudioProcessed) — or rejected (AudioRejected). Whatever happens, the work folder is removed and
 * nothing half-done stays in storage.
 */
export class AudioService {
  private readonly handler: CommandHandler<AudioState, AudioCommand, AudioEvent>;
  private readonly limiter: Limiter;

  constructor(
    store: EventStore,
    private readonly storage: AudioStorage,
    private readonly transcoder: AudioTranscoder,
    private readonly clock: Clock,
    readonly limits: AudioLimits,
    private readonly usage: AudioUsage = noAudioUsage,
    private readonly logger?: Logger,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    this.handler = new CommandHandler(store, audioDecider, audioCodec);
    this.limiter = new Limiter(limits.maxConcurrentTranscodes);
  }

  /** `receive` writes the upload into the folder it is given; the folder is removed afterwards, always. */
  async upload(caller: AudioCaller, receive: (workDir: string) => Promise<ReceivedAudio>): Promise<{ record: AudioRecord; position: GlobalPosition | null }> {
    const workDir = await this.storage.scratchDir();
    try {
      const received = await receive(workDir);
      return await this.limiter.run(() => this.process(caller, received, workDir));
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async process(caller: AudioCaller, received: ReceivedAudio, workDir: string) {
    const limits = this.limits;
    let probed;
    try {
      probed = await this.transcoder.probe(received.path, received.sizeBytes, limits);
    } catch (error) {
      throw asClientError(error, null);
    }

    const audioId = this.newId();
    const stream = audioStream(audioId);
    const uploadedAt = this.clock.now();
    const uploaded = await this.handler.handle(
      stream,
      {
        type: 'UploadAudio',
        data: {
          audioId,
          tenantId: caller.tenantId,
          name: (received.name ?? '').trim() || 'audio',
          original: {
            container: probed.container,
            codec: probed.codec,
            sizeBytes: received.sizeBytes,
            sha256: received.sha256,
            declaredDurationMs: probed.declaredDurationMs,
            sampleRate: probed.sampleRate,
            channels: probed.channels,
          },
          at: uploadedAt.toISOString(),
        },
      },
      this.context(caller, uploadedAt),
    );

    const originalKey = `${caller.tenantId}/${audioId}/original`;
    const wavKey = `${caller.tenantId}/${audioId}/playback-8k.wav`;
    try {
      const wav = await this.transcoder.transcode(received.path, probed, workDir, limits);
      const wavSha256 = await sha256Of(wav.path);
      await this.storage.put(originalKey, received.path);
      await this.storage.put(wavKey, wav.path);
      const now = this.clock.now();
      const processed = await this.handler.handle(
        stream,
        {
          type: 'CompleteAudioProcessing',
          data: {
            audioId,
            durationMs: wav.durationMs,
            originalKey,
            formats: [
              { format: 'wav', codec: wav.codec, sampleRate: wav.sampleRate, channels: wav.channels, sizeBytes: wav.sizeBytes, sha256: wavSha256, key: wavKey },
            ],
            at: now.toISOString(),
          },
        },
        this.context(caller, now),
      );
      return { record: recordFrom([...uploaded.appended, ...processed.appended]), position: processed.position };
    } catch (error) {
      await this.removeFiles([originalKey, wavKey]);
      const rejection =
        error instanceof AudioRejection
          ? error
          : new AudioRejection('interrupted', 'Processing stopped before the file was ready.', { cause: String(error) });
      const now = this.clock.now();
      await this.handler
        .handle(
          stream,
          { type: 'RejectAudio', data: { audioId, reason: rejection.reason, message: rejection.message, at: now.toISOString() } },
          this.context(caller, now),
        )
        .catch((second) => this.log(`could not record the rejection of audio ${audioId}`, second));
      throw asClientError(error, audioId);
    }
  }

  /** Deletion is an event; the calls that played the file keep their history (and the file's hash). */
  async delete(caller: AudioCaller, rawId: string): Promise<GlobalPosition | null> {
    const audioId = parseAudioId(rawId);
    if (!audioId) throw audioNotFound(String(rawId));
    const { state } = await this.handler.load(audioStream(audioId));
    if (state.status === 'Initial' || state.status === 'Deleted' || state.upload.tenantId !== caller.tenantId) {
      throw audioNotFound(audioId);
    }
    const campaigns = await this.usage.campaignsPlaying(caller.tenantId, audioId);
    if (campaigns.length > 0) {
      throw new DomainError('AUDIO_IN_USE', 'A running or paused campaign plays this audio file; cancel it, or let it complete, first.', {
        audio_id: audioId,
        campaign_ids: campaigns,
      });
    }
    const now = this.clock.now();
    const result = await this.handler.handle(
      audioStream(audioId),
      { type: 'DeleteAudio', data: { audioId, at: now.toISOString() } },
      this.context(caller, now),
    );
    if (state.status === 'Ready') {
      await this.removeFiles([state.processed.originalKey, ...state.processed.formats.map((f) => f.key)]);
    }
    return result.position;
  }

  /** Read from the log, not a read model: a file uploaded a moment ago is already known here. */
  async readiness(tenantId: string | null, rawId: string): Promise<AudioReadiness> {
    const audioId = parseAudioId(rawId);
    if (!audioId) return { status: 'missing' };
    const { state } = await this.handler.load(audioStream(audioId));
    if (state.status === 'Initial') return { status: 'missing' };
    if (tenantId !== null && state.upload.tenantId !== tenantId) return { status: 'missing' };
    switch (state.status) {
      case 'Ready':
        return { status: 'ready', durationMs: state.processed.durationMs, formats: state.processed.formats };
      case 'Processing':
        return { status: 'processing' };
      case 'Rejected':
        return { status: 'rejected' };
      case 'Deleted':
        return { status: 'deleted' };
    }
  }

  /** The stored bytes of a ready file's playback format, for the media route. */
  async openPlayback(rawId: string, format: string): Promise<{ body: Readable; sizeBytes: number; etag: string } | null> {
    const found = await this.readiness(null, rawId);
    if (found.status !== 'ready') return null;
    const file = found.formats.find((f) => f.format === format);
    if (!file) return null;
    const opened = await this.storage.open(file.key);
    return opened ? { ...opened, etag: `"${file.sha256}"` } : null;
  }

  private async removeFiles(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.storage.delete(key).catch((error) => this.log(`could not remove ${key}`, error));
  }

  private context(caller: AudioCaller, now: Date): CommandContext {
    return { now, tenantId: caller.tenantId, actor: caller.actor, correlationId: caller.correlationId, causationId: caller.requestId };
  }

  private log(message: string, error: unknown): void {
    this.logger?.error(message, { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Rejections become the client's 422s; a missing tool stays a server problem (503). */
function asClientError(error: unknown, audioId: string | null): unknown {
  if (!(error instanceof AudioRejection)) return error;
  const details: Record<string, unknown> = { reason: error.reason, ...error.details };
  if (audioId) details.audio_id = audioId;
  if (error.reason === 'too_long') return new DomainError('AUDIO_TOO_LONG', error.message, details);
  return new DomainError('INVALID_AUDIO', error.message, details);
}

function recordFrom(events: ReadonlyArray<{ type: string; data: unknown }>): AudioRecord {
  let record: AudioRecord | null = null;
  for (const event of events) record = foldAudioRecord(record, event as AudioEvent);
  if (!record) throw new Error('the upload appended no events');
  return record;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

