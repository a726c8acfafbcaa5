import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Small real audio made by the tests: WAV written byte by byte here, MP3 and Ogg/Opus encoded by the
 * installed ffmpeg. Each bad input the audio issue names has a maker too.
 */

export type WavSpec = {
  seconds: number;
  sampleRate?: number;
  channels?: number;
  /** Overrides written into the header, to make it lie. */
  lie?: { dataBytes?: number; riffSize?: number; byteRate?: number; blockAlign?: number; sampleRate?: number };
};

/** A 16-bit PCM WAV of a 440 Hz tone. */
export function wav(spec: WavSpec): Buffer {
  const sampleRate = spec.sampleRate ?? 8000;
  const channels = spec.channels ?? 1;
  const frames = Math.round(spec.seconds * sampleRate);
  const dataBytes = frames * channels * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(spec.lie?.riffSize ?? 36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(spec.lie?.sampleRate ?? sampleRate, 24);
  out.writeUInt32LE(spec.lie?.byteRate ?? sampleRate * channels * 2, 28);
  out.writeUInt16LE(spec.lie?.blockAlign ?? channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(spec.lie?.dataBytes ?? dataBytes, 40);
  for (let i = 0; i < frames; i++) {
    const sample = Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 8000);
    for (let c = 0; c < channels; c++) out.writeInt16LE(sample, 44 + (i * channels + c) * 2);
  }
  return out;
}

export function hasFfmpeg(): boolean {
  const probe = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  const probe2 = spawnSync('ffprobe', ['-version'], { stdio: 'ignore' });
  return probe.status === 0 && probe2.status === 0;
}

/** Encodes `seconds` of tone (or silence) with ffmpeg into the given format; returns the bytes. */
export function encode(format: 'mp3' | 'opus' | 'vorbis' | 'flac', seconds: number, options: { silence?: boolean } = {}): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'calltrail-fixture-'));
  try {
    const ext = { mp3: 'mp3', opus: 'ogg', vorbis: 'ogg', flac: 'flac' }[format];
    const codec = { mp3: ['-c:a', 'libmp3lame', '-b:a', '32k', '-ar', '22050'], opus: ['-c:a', 'libopus', '-b:a', '16k'], vorbis: ['-c:a', 'libvorbis', '-q:a', '0'], flac: ['-c:a', 'flac'] }[format];
    const source = options.silence ? `anullsrc=r=48000:cl=mono` : `sine=frequency=440:sample_rate=48000`;
    const out = join(dir, `fixture.${ext}`);
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', source, '-t', String(seconds), '-ac', '1', ...codec, '-y', out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first half of a file: cut off mid-stream. */
export const truncated = (bytes: Buffer): Buffer => bytes.subarray(0, Math.floor(bytes.length / 2));

/** Valid audio with bytes in its middle overwritten by garbage. */
export function corrupted(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const start = Math.floor(copy.length / 3);
  for (let i = start; i < Math.min(copy.length, start + 2048); i++) copy[i] = (i * 131) & 0xff;
  return copy;
}

/** A classic zip bomb's gzip cousin: a few KB that inflate to `inflatedBytes` of zeros. */
export const gzipBomb = (inflatedBytes = 50 * 1024 * 1024): Buffer => gzipSync(Buffer.alloc(inflatedBytes), { level: 9 });

/** A text file that only claims to be audio by its name. */
export const notAudio = (): Buffer => Buffer.from('id,phone\n1,+923001234567\n'.repeat(50));
