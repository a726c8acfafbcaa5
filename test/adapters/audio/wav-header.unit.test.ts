import { describe, expect, it } from 'vitest';
import { readWavHeader, wavDurationMs } from '../../../src/adapters/audio-transcoder/wav-header.ts';
import { wav } from '../../support/audio-fixtures.ts';

const read = (bytes: Buffer) => readWavHeader(bytes, bytes.length);

describe('the WAV header reader', () => {
  it('reads an honest header', () => {
    const result = read(wav({ seconds: 1.5, sampleRate: 16_000 }));
    if (!('header' in result)) throw new Error(result.problem.message);
    expect(result.header).toMatchObject({ formatTag: 1, channels: 1, sampleRate: 16_000, dataOffset: 44, dataBytes: 48_000 });
    expect(wavDurationMs(result.header)).toBe(1500);
  });

  it.each([
    ['data larger than the file', { dataBytes: 10_000_000 }, 'overrun'],
    ['a RIFF size larger than the file', { riffSize: 10_000_000 }, 'overrun'],
    ['a byte rate that does not match', { byteRate: 1 }, 'inconsistent'],
    ['a block size that does not match', { blockAlign: 3 }, 'inconsistent'],
    ['an impossible sample rate', { sampleRate: 10, byteRate: 20 }, 'inconsistent'],
  ])('catches a header that lies: %s', (_name, lie, kind) => {
    const result = read(wav({ seconds: 0.5, lie }));
    expect('problem' in result && result.problem.kind).toBe(kind);
  });

  it('refuses what is not RIFF/WAVE at all', () => {
    const result = read(Buffer.from('ID3\u0004 definitely an mp3'));
    expect('problem' in result && result.problem.kind).toBe('not_wav');
  });

  it('skips chunks before the data chunk, honouring padding', () => {
    const honest = wav({ seconds: 0.25 });
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]);
    const bytes = Buffer.concat([honest.subarray(0, 36), list, honest.subarray(36)]);
    bytes.writeUInt32LE(bytes.length - 8, 4);
    const result = read(bytes);
    if (!('header' in result)) throw new Error(result.problem.message);
    expect(result.header.dataOffset).toBe(44 + list.length);
  });
});
