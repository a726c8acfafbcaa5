import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import { LocalDiskAudioStorage } from '../adapters/audio-storage/local-disk.ts';
import type { AudioStorage } from '../adapters/audio-storage/port.ts';
import { FfmpegTranscoder } from '../adapters/audio-transcoder/ffmpeg.ts';
import type { AudioTranscoder } from '../adapters/audio-transcoder/port.ts';
import type { EventStore } from '../adapters/eventstore/port.ts';
import { audioPlayable } from '../commands/audio/audio-placement.ts';
import { AudioService } from '../commands/audio/audio-service.ts';
import { noAudioUsage, type AudioUsage } from '../commands/audio/audio-usage.ts';
import { MediaLinks } from '../commands/audio/media-links.ts';
import type { PlacementStep } from '../commands/calls/placement.ts';
import type { CallEventOf } from '../domain/call/events.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { AudioDependencies, MediaDependencies } from '../http/audio-dependencies.ts';
import type { Logger } from '../http/dependencies.ts';
import { AudioQueries } from '../projections/audio/queries.ts';
import { loadAudioConfig, type AudioConfig } from './audio-config.ts';
import type { EngineConfig } from './config.ts';

export type AudioFeatureOptions = {
  readonly config: EngineConfig;
  readonly store: EventStore;
  readonly db: Kysely<any>;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Which campaigns play a file (deleting it is then 409 AUDIO_IN_USE); without it no file is in use. */
  readonly usage?: AudioUsage;
  readonly storage?: AudioStorage;
  readonly transcoder?: AudioTranscoder;
};

/**
 * The audio library, wired: storage on the local disk, ffmpeg for decoding, the service, its read
 * model, the placement check for calls, and the signed media links the dialer hands to the PBX.
 */
export class AudioFeature {
  readonly settings: AudioConfig;
  readonly service: AudioService;
  readonly queries: AudioQueries;
  readonly links: MediaLinks;
  readonly placement: PlacementStep;
  private listenUrl: string | null = null;
  private secret: Buffer | null = null;

  constructor(private readonly options: AudioFeatureOptions) {
    const { config } = options;
    this.settings = loadAudioConfig(config);
    const storage = options.storage ?? new LocalDiskAudioStorage(this.settings.dir);
    const transcoder =
      options.transcoder ?? new FfmpegTranscoder({ ffmpegPath: this.settings.ffmpegPath, ffprobePath: this.settings.ffprobePath });
    this.service = new AudioService(
      options.store,
      storage,
      transcoder,
      options.clock,
      {
        maxUploadBytes: this.settings.maxUploadBytes,
        maxDurationMs: this.settings.maxDurationMs,
        timeoutMs: this.settings.timeoutMs,
        maxConcurrentTranscodes: this.settings.maxConcurrentTranscodes,
      },
      options.usage ?? noAudioUsage,
      options.logger,
    );
    this.queries = new AudioQueries(options.db);
    this.placement = audioPlayable(this.service);
    this.links = new MediaLinks({
      secret: () => this.signingSecret(),
      publicUrl: () => this.publicUrl(),
      clock: options.clock,
      ttlSeconds: this.settings.tokenTtlSeconds,
      windowSeconds: this.settings.tokenWindowSeconds,
    });
  }

  /** main.ts (and tests) call this once the HTTP server listens, when PUBLIC_URL was not given. */
  setListenUrl(url: string): void {
    this.listenUrl = url;
  }

  publicUrl(): string {
    const { config } = this.options;
    return this.settings.publicUrl ?? this.listenUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  }

  /** What the dialer tells the PBX to play: the call's own audio through a signed link, else the default. */
  async mediaFor(call: CallEventOf<'CallRequested'>['data']): Promise<string> {
    if (call.audioId === null) return this.options.config.defaultMedia;
    return this.links.soundUri(call.audioId.toLowerCase());
  }

  http(): { audio: AudioDependencies; media: MediaDependencies } {
    const caller = (ctx: Parameters<AudioDependencies['upload']>[0]) => ({
      tenantId: ctx.principal.tenantId,
      actor: ctx.principal.actor,
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
    });
    return {
      audio: {
        maxUploadBytes: this.settings.maxUploadBytes,
        upload: async (ctx, receive) => (await this.service.upload(caller(ctx), receive)).record,
        list: (tenantId, query) => this.queries.list(tenantId, query),
        get: (tenantId, audioId) => this.queries.get(tenantId, audioId),
        delete: async (ctx, audioId) => void (await this.service.delete(caller(ctx), audioId)),
      },
      media: {
        verify: (audioId, format, token) => this.links.verify(audioId, format, token),
        remainingSeconds: (token) => this.links.remainingSeconds(token),
        open: (audioId, format) => this.service.openPlayback(audioId, format),
      },
    };
  }

  /** MEDIA_SIGNING_SECRET, or one generated on first use and kept (0600) in the data folder. */
  private signingSecret(): Buffer {
    if (this.secret) return this.secret;
    if (this.settings.signingSecret !== null) return (this.secret = Buffer.from(this.settings.signingSecret, 'utf8'));
    const file = this.settings.secretFile;
    try {
      this.secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(file), { recursive: true });
      try {
        writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (raced) {
        if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      }
      this.secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
    }
    return this.secret;
  }
}
