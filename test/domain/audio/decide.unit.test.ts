import { describe, expect, it } from 'vitest';
import { audioDecider, type AudioCommand, type AudioEvent, type AudioState } from '../../../src/domain/audio/index.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';

const audioId = '0b7f5a52-6a0e-4d3c-9a43-5a1f2f1d9e01';
const at = '2026-11-23T10:00:00.000Z';
const sha = 'a'.repeat(64);

const upload: AudioCommand = {
  type: 'UploadAudio',
  data: {
    audioId,
    tenantId: 'tenant-1',
    name: ' greeting ',
    original: { container: 'mp3', codec: 'mp3', sizeBytes: 1234, sha256: sha, declaredDurationMs: 2000, sampleRate: 22050, channels: 1 },
    at,
  },
};
const complete: AudioCommand = {
  type: 'CompleteAudioProcessing',
  data: {
    audioId,
    durationMs: 2000,
    originalKey: `tenant-1/${audioId}/original`,
    formats: [{ format: 'wav', codec: 'pcm_s16le', sampleRate: 8000, channels: 1, sizeBytes: 32044, sha256: sha, key: `tenant-1/${audioId}/playback-8k.wav` }],
    at,
  },
};
const reject: AudioCommand = { type: 'RejectAudio', data: { audioId, reason: 'truncated', message: 'cut short', at } };
const remove: AudioCommand = { type: 'DeleteAudio', data: { audioId, at } };

/** given events, when a command, then events (or an error code). */
function given(...history: AudioCommand[]) {
  let state: AudioState = audioDecider.initialState();
  for (const command of history) {
    for (const event of audioDecider.decide(command, state)) state = audioDecider.evolve(state, event);
  }
  return {
    when: (command: AudioCommand) => {
      try {
        return { events: audioDecider.decide(command, state) as AudioEvent[], code: null as string | null };
      } catch (error) {
        if (error instanceof DomainError) return { events: [] as AudioEvent[], code: error.code };
        throw error;
      }
    },
  };
}

describe('the audio decider', () => {
  it('records an upload as processing, with the name trimmed', () => {
    const { events } = given().when(upload);
    expect(events).toEqual([expect.objectContaining({ type: 'AudioUploaded', data: expect.objectContaining({ name: 'greeting', uploadedAt: at }) })]);
  });

  it('an identical upload again is a no-op; a different one under the same id is refused', () => {
    expect(given(upload).when(upload).events).toEqual([]);
    const other = { ...upload, data: { ...upload.data, original: { ...upload.data.original, sha256: 'b'.repeat(64) } } } as AudioCommand;
    expect(given(upload).when(other).code).toBe('AUDIO_ALREADY_EXISTS');
  });

  it('processing makes it ready once; a repeat is a no-op', () => {
    expect(given(upload).when(complete).events.map((e) => e.type)).toEqual(['AudioProcessed']);
    expect(given(upload, complete).when(complete).events).toEqual([]);
  });

  it('a rejected file can never become ready', () => {
    expect(given(upload).when(reject).events.map((e) => e.type)).toEqual(['AudioRejected']);
    expect(given(upload, reject).when(complete).code).toBe('INVALID_STATE_TRANSITION');
    expect(given(upload, reject).when(reject).events).toEqual([]);
  });

  it('deletes ready and rejected files once; refuses while processing; unknown is not found', () => {
    expect(given(upload, complete).when(remove).events.map((e) => e.type)).toEqual(['AudioDeleted']);
    expect(given(upload, reject).when(remove).events.map((e) => e.type)).toEqual(['AudioDeleted']);
    expect(given(upload, complete, remove).when(remove).events).toEqual([]);
    expect(given(upload).when(remove).code).toBe('AUDIO_NOT_READY');
    expect(given().when(remove).code).toBe('AUDIO_NOT_FOUND');
    expect(given().when(complete).code).toBe('AUDIO_NOT_FOUND');
  });

  it('a deleted file cannot be processed again', () => {
    expect(given(upload, complete, remove).when(complete).code).toBe('INVALID_STATE_TRANSITION');
  });

  it('refuses an event that would break its schema (a bad hash)', () => {
    const bad = { ...upload, data: { ...upload.data, original: { ...upload.data.original, sha256: 'nope' } } } as AudioCommand;
    expect(given().when(bad).code).toBe('VALIDATION_ERROR');
  });

  it('evolve ignores unknown event types, so old streams still load', () => {
    const state = audioDecider.evolve(audioDecider.initialState(), { type: 'SomethingNew', data: {} } as unknown as AudioEvent);
    expect(state).toEqual({ status: 'Initial' });
  });
});
