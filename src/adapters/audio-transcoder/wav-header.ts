/**
 * A RIFF/WAVE header reader, used to catch WAV files whose header lies: ffmpeg trusts what it is
 * told and would happily decode a file whose header promises more audio than it holds.
 */

export type WavHeader = {
  readonly riffSize: number;
  readonly formatTag: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly byteRate: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
  /** Offset of the first sample byte. */
  readonly dataOffset: number;
  /** Bytes of audio the header declares. */
  readonly dataBytes: number;
};

export type WavProblem = { readonly kind: 'not_wav' | 'inconsistent' | 'overrun'; readonly message: string };

const PCM = 1;
const IEEE_FLOAT = 3;
const ALAW = 6;
const MULAW = 7;
const EXTENSIBLE = 0xfffe;
const KNOWN_TAGS = new Set([PCM, IEEE_FLOAT, ALAW, MULAW, EXTENSIBLE]);

/** Walks the chunks in `head` (the file's first bytes) and checks them against the file's real size. */
export function readWavHeader(head: Uint8Array, fileSize: number): { header: WavHeader } | { problem: WavProblem } {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (offset: number) => String.fromCharCode(...head.subarray(offset, offset + 4));
  if (head.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    return { problem: { kind: 'not_wav', message: 'The file does not start with a RIFF/WAVE header.' } };
  }
  const riffSize = view.getUint32(4, true);
  if (riffSize + 8 > fileSize) {
    return {
      problem: { kind: 'overrun', message: `The WAV header declares ${riffSize + 8} bytes but the file has ${fileSize}: it is truncated or its header lies.` },
    };
  }
  let offset = 12;
  let fmt: Omit<WavHeader, 'riffSize' | 'dataOffset' | 'dataBytes'> | null = null;
  while (offset + 8 <= head.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > head.byteLength) {
        return { problem: { kind: 'inconsistent', message: 'The WAV fmt chunk is too short.' } };
      }
      fmt = {
        formatTag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        byteRate: view.getUint32(body + 8, true),
        blockAlign: view.getUint16(body + 12, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) return { problem: { kind: 'inconsistent', message: 'The WAV data chunk comes before its fmt chunk.' } };
      const inconsistency = checkFormat(fmt);
      if (inconsistency) return { problem: { kind: 'inconsistent', message: inconsistency } };
      if (body + size > fileSize) {
        return {
          problem: {
            kind: 'overrun',
            message: `The WAV header declares ${size} bytes of audio but the file holds ${Math.max(0, fileSize - body)}: it is truncated or its header lies.`,
          },
        };
      }
      return { header: { riffSize, ...fmt, dataOffset: body, dataBytes: size } };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  return { problem: { kind: 'inconsistent', message: 'No WAV data chunk was found where the header says it is.' } };
}

function checkFormat(fmt: Omit<WavHeader, 'riffSize' | 'dataOffset' | 'dataBytes'>): string | null {
  if (!KNOWN_TAGS.has(fmt.formatTag)) return `WAV format tag ${fmt.formatTag} is not an uncompressed or G.711 format.`;
  if (fmt.channels < 1 || fmt.channels > 8) return `The WAV header declares ${fmt.channels} channels.`;
  if (fmt.sampleRate < 1_000 || fmt.sampleRate > 384_000) return `The WAV header declares a sample rate of ${fmt.sampleRate} Hz.`;
  if (![8, 16, 24, 32, 64].includes(fmt.bitsPerSample)) return `The WAV header declares ${fmt.bitsPerSample} bits per sample.`;
  const expectedAlign = fmt.channels * (fmt.bitsPerSample / 8);
  if (fmt.blockAlign !== expectedAlign) {
    return `The WAV header's block size (${fmt.blockAlign}) does not match ${fmt.channels} channels of ${fmt.bitsPerSample} bits.`;
  }
  if (fmt.byteRate !== fmt.sampleRate * fmt.blockAlign) {
    return `The WAV header's byte rate (${fmt.byteRate}) does not match ${fmt.sampleRate} Hz × ${fmt.blockAlign} bytes.`;
  }
  return null;
}

/** Length of the audio a header declares, in whole milliseconds. */
export function wavDurationMs(header: Pick<WavHeader, 'dataBytes' | 'byteRate'>): number {
  return header.byteRate === 0 ? 0 : Math.floor((header.dataBytes * 1000) / header.byteRate);
}
