/** Just enough RIFF/WAVE to make silent recordings and to measure media fetched over HTTP. */

const SAMPLE_RATE = 8000;
const BYTES_PER_SAMPLE = 2;

export function isWav(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, 12);
  return head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE';
}

/** 8 kHz, 16-bit, mono PCM silence. */
export function silentWav(seconds: number): Buffer {
  const dataBytes = Math.max(0, Math.round(seconds * SAMPLE_RATE)) * BYTES_PER_SAMPLE;
  const file = Buffer.alloc(44 + dataBytes);
  file.write('RIFF', 0, 'latin1');
  file.writeUInt32LE(36 + dataBytes, 4);
  file.write('WAVE', 8, 'latin1');
  file.write('fmt ', 12, 'latin1');
  file.writeUInt32LE(16, 16); // size of the fmt chunk
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(SAMPLE_RATE, 24);
  file.writeUInt32LE(SAMPLE_RATE * BYTES_PER_SAMPLE, 28); // byte rate
  file.writeUInt16LE(BYTES_PER_SAMPLE, 32); // block align
  file.writeUInt16LE(BYTES_PER_SAMPLE * 8, 34); // bits per sample
  file.write('data', 36, 'latin1');
  file.writeUInt32LE(dataBytes, 40);
  return file;
}

/** Length of a WAV file's audio, or null when the header does not say (or is not WAV at all). */
export function wavDurationMs(bytes: Uint8Array): number | null {
  if (!isWav(bytes)) return null;
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let byteRate: number | null = null;
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('latin1', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 16 <= file.length) byteRate = file.readUInt32LE(offset + 16);
    if (id === 'data') return byteRate ? Math.round((size / byteRate) * 1000) : null;
    offset += 8 + size + (size % 2); // chunks are padded to an even length
  }
  return null;
}
