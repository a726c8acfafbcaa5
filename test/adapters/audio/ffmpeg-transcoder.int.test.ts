import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegTranscoder } from '../../../src/adapters/audio-transcoder/ffmpeg.ts';
import { AudioRejection, AudioToolUnavailableError, type TranscodeLimits } from '../../../src/adapters/audio-transcoder/port.ts';
import { readWavHeader } from '../../../src/adapters/audio-transcoder/wav-header.ts';
import { readFileSync } from 'node:fs';
import { corrupted, encode, gzipBomb, hasFfmpeg, notAudio, truncated, wav } from '../../support/audio-fixtures.ts';

const ffmpegInstalled = hasFfmpeg();
if (!ffmpegInstalled) console.log('ffmpeg transcoder tests skipped: ffmpeg/ffprobe are not installed (apt-get install ffmpeg)');

const limits: TranscodeLimits = { maxDurationMs: 10_000, timeoutMs: 20_000 };

describe.skipIf(!ffmpegInstalled)('the ffmpeg transcoder', () => {
  const transcoder = new FfmpegTranscoder();
  let dir: string;
  let fixtures: Record<string, Buffer>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'calltrail-transcoder-'));
    fixtures = {
      mp3: encode('mp3', 2),
      opus: encode('opus', 2),
      vorbis: encode('vorbis', 2),
      flac: encode('flac', 1),
      // 30 s of silence chained before 1 s: ffprobe reads the last stream's length (1 s), decoding gives 31 s.
      chainedBomb: Buffer.concat([encode('opus', 30, { silence: true }), encode('opus', 1, { silence: true })]),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  const file = (bytes: Buffer) => {
    const path = join(dir, `input-${n++}`); // no extension: the content decides
    writeFileSync(path, bytes);
    return { path, size: bytes.length };
  };
  const outDir = () => mkdtempSync(join(dir, 'out-'));

  async function accept(bytes: Buffer) {
    const input = file(bytes);
    const probed = await transcoder.probe(input.path, input.size, limits);
    const out = await transcoder.transcode(input.path, probed, outDir(), limits);
    return { probed, out };
  }

  async function rejection(bytes: Buffer, lim: TranscodeLimits = limits): Promise<AudioRejection> {
    const input = file(bytes);
    try {
      const probed = await transcoder.probe(input.path, input.size, lim);
      await transcoder.transcode(input.path, probed, outDir(), lim);
    } catch (error) {
      if (error instanceof AudioRejection) return error;
      throw error;
    }
    throw new Error('the file was accepted');
  }

  function expectSlin(path: string, durationMs: number) {
    const bytes = readFileSync(path);
    const read = readWavHeader(bytes, bytes.length);
    if (!('header' in read)) throw new Error(read.problem.message);
    expect(read.header).toMatchObject({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, dataBytes: durationMs * 16 });
  }

  it.each([
    ['an 8 kHz mono WAV', () => wav({ seconds: 2 }), 'wav', 'pcm_s16le', 2000],
    ['a 44.1 kHz stereo WAV', () => wav({ seconds: 1, sampleRate: 44_100, channels: 2 }), 'wav', 'pcm_s16le', 1000],
    ['an MP3', () => fixtures.mp3!, 'mp3', 'mp3', 2000],
    ['an Ogg/Opus file', () => fixtures.opus!, 'ogg', 'opus', 2000],
    ['an Ogg/Vorbis file', () => fixtures.vorbis!, 'ogg', 'vorbis', 2000],
  ])('accepts %s and turns it into 8 kHz 16-bit mono WAV', async (_name, make, container, codec, ms) => {
    const { probed, out } = await accept(make());
    expect(probed).toMatchObject({ container, codec });
    expect(Math.abs(out.durationMs - ms)).toBeLessThan(120);
    expect(out).toMatchObject({ format: 'wav', sampleRate: 8000, channels: 1 });
    expectSlin(out.path, out.durationMs);
  });

  it.each([
    ['an empty file', () => Buffer.alloc(0), ['empty']],
    ['a text file', () => notAudio(), ['not_audio']],
    ['a gzip bomb', () => gzipBomb(), ['not_audio']],
    ['FLAC (audio, but not a format we accept)', () => fixtures.flac!, ['unsupported_format', 'not_audio']],
    ['a truncated MP3', () => truncated(fixtures.mp3!), ['truncated', 'corrupt']],
    ['a truncated Ogg/Opus file', () => truncated(fixtures.opus!), ['not_audio', 'corrupt', 'truncated']],
    ['a truncated WAV', () => truncated(wav({ seconds: 2 })), ['truncated']],
    ['a corrupt MP3', () => corrupted(fixtures.mp3!), ['corrupt']],
    ['a WAV whose header claims more audio than it holds', () => wav({ seconds: 1, lie: { dataBytes: 160_000 } }), ['truncated']],
    ['a WAV whose header byte rate lies', () => wav({ seconds: 1, lie: { byteRate: 88_200 } }), ['header_mismatch']],
    ['a WAV whose header block size lies', () => wav({ seconds: 1, lie: { blockAlign: 4 } }), ['header_mismatch']],
    ['a WAV header with no samples', () => wav({ seconds: 0 }), ['empty']],
    ['a WAV longer than the limit', () => wav({ seconds: 12 }), ['too_long']],
    ['an Ogg whose header says 1 s but decodes to 31 s (decompression bomb)', () => fixtures.chainedBomb!, ['decoded_too_large']],
  ])('rejects %s', async (_name, make, reasons) => {
    const error = await rejection(make());
    expect(reasons).toContain(error.reason);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('stops decoding a file that decodes past the limit, whatever its header said', async () => {
    const input = file(fixtures.chainedBomb!);
    const out = outDir();
    const error = await transcoder
      .transcode(input.path, { container: 'ogg', codec: 'opus', declaredDurationMs: 1000, sampleRate: 48000, channels: 1 }, out, limits)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioRejection);
    // ffmpeg was capped at limit + 1 s of output: it never wrote the 31 s the file holds.
    const written = readdirSync(out).map((name) => readFileSync(join(out, name)).length);
    for (const size of written) expect(size).toBeLessThanOrEqual(11 * 16_000 + 4096);
  });

  it('gives up on a file that takes longer than the timeout', async () => {
    const error = await rejection(fixtures.chainedBomb!, { maxDurationMs: 60_000, timeoutMs: 1 });
    expect(error.reason).toBe('processing_timeout');
  });

  it('reports a missing tool as unavailable instead of crashing', async () => {
    const missing = new FfmpegTranscoder({ ffprobePath: '/nonexistent/ffprobe', ffmpegPath: '/nonexistent/ffmpeg' });
    const input = file(wav({ seconds: 1 }));
    await expect(missing.probe(input.path, input.size, limits)).rejects.toBeInstanceOf(AudioToolUnavailableError);
  });
});
