import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioContainer } from '../../domain/audio/events.ts';
import { AudioRejection, type AudioTranscoder, type ProbedAudio, type TranscodeLimits, type TranscodedAudio } from './port.ts';
import { runTool } from './run-tool.ts';
import { readWavHeader, wavDurationMs } from './wav-header.ts';

/**
 * The transcoder on ffmpeg/ffprobe (Debian package `ffmpeg`). Both tools only ever open the one
 * local file (`-protocol_whitelist file`) and only with the three demuxers we accept
 * (`-format_whitelist`), so a playlist or concat file cannot make them fetch URLs or read other files.
 */

export type FfmpegOptions = { readonly ffmpegPath?: string; readonly ffprobePath?: string };

/** Output: 8 kHz, 16-bit, mono — slin, what Asterisk plays without transcoding on G.711 trunks. */
export const PLAYBACK_SAMPLE_RATE = 8_000;
const BYTES_PER_SECOND = PLAYBACK_SAMPLE_RATE * 2;
/** Allowed gap between what a header declares and what decodes (encoder padding, rounding). */
const TOLERANCE_MS = 300;
const TOLERANCE_RATIO = 0.05;

const DEMUXERS: Readonly<Record<string, AudioContainer>> = { wav: 'wav', mp3: 'mp3', ogg: 'ogg' };
const CODECS: Readonly<Record<AudioContainer, ReadonlySet<string>>> = {
  wav: new Set(['pcm_s16le', 'pcm_u8', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le', 'pcm_f64le', 'pcm_alaw', 'pcm_mulaw']),
  mp3: new Set(['mp3']),
  ogg: new Set(['opus', 'vorbis']),
};
const SAFE_INPUT = ['-protocol_whitelist', 'file', '-format_whitelist', Object.keys(DEMUXERS).join(',')];

type ProbeJson = {
  streams?: Array<{ codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string }>;
  format?: { format_name?: string; duration?: string };
};

export class FfmpegTranscoder implements AudioTranscoder {
  private readonly ffmpeg: string;
  private readonly ffprobe: string;

  constructor(options: FfmpegOptions = {}) {
    this.ffmpeg = options.ffmpegPath ?? 'ffmpeg';
    this.ffprobe = options.ffprobePath ?? 'ffprobe';
  }

  async probe(file: string, sizeBytes: number, limits: TranscodeLimits): Promise<ProbedAudio> {
    if (sizeBytes === 0) throw new AudioRejection('empty', 'The file is empty.');
    const result = await runTool(
      this.ffprobe,
      [
        '-v', 'error', '-hide_banner', ...SAFE_INPUT,
        '-show_entries', 'format=format_name,duration:stream=codec_type,codec_name,sample_rate,channels,duration',
        '-of', 'json', '-i', file,
      ],
      { timeoutMs: limits.timeoutMs, maxStdoutBytes: 256 * 1024 },
    );
    if (result.timedOut) throw new AudioRejection('processing_timeout', 'Reading the file took too long.');
    const parsed = parseJson(result.stdout);
    const demuxer = parsed?.format?.format_name;
    if (result.code !== 0 || !parsed || demuxer === undefined) {
      throw new AudioRejection('not_audio', 'The file is not WAV, MP3 or Ogg (Opus/Vorbis) audio, or it is corrupt.', {
        decoder: firstLine(result.stderr),
      });
    }
    const container = DEMUXERS[demuxer];
    if (!container) throw new AudioRejection('unsupported_format', `Audio in ${demuxer} format is not accepted; upload WAV, MP3 or Ogg/Opus.`);
    const audio = parsed.streams?.find((stream) => stream.codec_type === 'audio');
    if (!audio?.codec_name) throw new AudioRejection('not_audio', 'The file holds no audio stream.');
    if (!CODECS[container].has(audio.codec_name)) {
      throw new AudioRejection('unsupported_format', `${audio.codec_name} audio in a ${container} file is not accepted.`);
    }

    let declaredDurationMs = seconds(audio.duration) ?? seconds(parsed.format?.duration);
    if (container === 'wav') declaredDurationMs = await checkWavHeader(file, sizeBytes);
    if (declaredDurationMs === 0) throw new AudioRejection('empty', 'The file holds no audio.');
    if (declaredDurationMs !== null && declaredDurationMs > limits.maxDurationMs) {
      throw tooLong(declaredDurationMs, limits.maxDurationMs);
    }
    return {
      container,
      codec: audio.codec_name,
      declaredDurationMs,
      sampleRate: audio.sample_rate ? Number(audio.sample_rate) || null : null,
      channels: audio.channels ?? null,
    };
  }

  async transcode(file: string, probed: ProbedAudio, outputDir: string, limits: TranscodeLimits): Promise<TranscodedAudio> {
    const output = join(outputDir, 'playback-8k.wav');
    // Decode at most one second past the limit, and never write more than that much output: a
    // small file that decodes to hours (a decompression bomb) stops here, however it lies.
    const capSeconds = Math.ceil(limits.maxDurationMs / 1000) + 1;
    const capBytes = capSeconds * BYTES_PER_SECOND + 4096;
    const result = await runTool(
      this.ffmpeg,
      [
        '-v', 'error', '-hide_banner', '-nostdin', '-xerror', ...SAFE_INPUT, '-i', file,
        '-map', '0:a:0', '-vn', '-sn', '-dn', '-t', String(capSeconds),
        '-ac', '1', '-ar', String(PLAYBACK_SAMPLE_RATE), '-c:a', 'pcm_s16le',
        '-fs', String(capBytes), '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact',
        '-f', 'wav', '-y', output,
      ],
      { timeoutMs: limits.timeoutMs, maxStdoutBytes: 64 * 1024 },
    );
    if (result.timedOut) throw new AudioRejection('processing_timeout', `Decoding the file took longer than ${limits.timeoutMs} ms.`);
    if (result.code !== 0) {
      throw new AudioRejection('corrupt', 'The audio could not be decoded: the file is corrupt or truncated.', {
        decoder: firstLine(result.stderr),
      });
    }
    const info = await stat(output).catch(() => null);
    if (!info) throw new AudioRejection('corrupt', 'Decoding produced no audio.');
    const head = await readHead(output, 4096);
    const read = readWavHeader(head, info.size);
    // ffmpeg stops a capped output without fixing its header; measure what is really there.
    const dataOffset = 'header' in read ? read.header.dataOffset : 44;
    const dataBytes = Math.max(0, info.size - dataOffset);
    const durationMs = Math.floor((dataBytes * 1000) / BYTES_PER_SECOND);

    if (durationMs === 0) throw new AudioRejection('empty', 'The file decodes to no audio.');
    if (durationMs > limits.maxDurationMs) {
      if (probed.declaredDurationMs !== null && probed.declaredDurationMs <= limits.maxDurationMs) {
        throw new AudioRejection(
          'decoded_too_large',
          `The file says it lasts ${probed.declaredDurationMs} ms but decodes to more than ${limits.maxDurationMs} ms.`,
        );
      }
      throw tooLong(durationMs, limits.maxDurationMs);
    }
    const declared = probed.declaredDurationMs;
    if (declared !== null) {
      const slack = Math.max(TOLERANCE_MS, declared * TOLERANCE_RATIO);
      if (durationMs < declared - slack) {
        throw new AudioRejection('truncated', `The file says it lasts ${declared} ms but only ${durationMs} ms decodes: it is truncated.`);
      }
      if (durationMs > declared + slack) {
        throw new AudioRejection('header_mismatch', `The file says it lasts ${declared} ms but decodes to ${durationMs} ms.`);
      }
    }
    return { path: output, format: 'wav', codec: 'pcm_s16le', sampleRate: PLAYBACK_SAMPLE_RATE, channels: 1, durationMs, sizeBytes: info.size };
  }
}

async function checkWavHeader(file: string, sizeBytes: number): Promise<number> {
  const read = readWavHeader(await readHead(file, 256 * 1024), sizeBytes);
  if ('problem' in read) {
    throw new AudioRejection(read.problem.kind === 'overrun' ? 'truncated' : 'header_mismatch', read.problem.message);
  }
  return wavDurationMs(read.header);
}

async function readHead(file: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function tooLong(durationMs: number, maxMs: number): AudioRejection {
  return new AudioRejection('too_long', `The audio lasts ${Math.round(durationMs / 1000)} s; the limit is ${Math.round(maxMs / 1000)} s.`, {
    duration_ms: durationMs,
    max_duration_ms: maxMs,
  });
}

function seconds(raw: string | undefined): number | null {
  if (raw === undefined || raw === 'N/A') return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
}

function parseJson(text: string): ProbeJson | null {
  try {
    return JSON.parse(text) as ProbeJson;
  } catch {
    return null;
  }
}

/** The decoder's first complaint, without the temporary path it names. */
function firstLine(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim().length > 0) ?? '';
  return line.replace(/^[^:]*\/work-[^:]*:\s*/, '').slice(0, 200);
}
