import type { AudioEventOf, AudioRejectionReason } from './events.ts';

/** Commands to an audio file. `at` comes from the injected clock; deciders never read one. */
export type UploadAudio = {
  readonly type: 'UploadAudio';
  readonly data: Omit<AudioEventOf<'AudioUploaded'>['data'], 'uploadedAt'> & { at: string };
};

export type CompleteAudioProcessing = {
  readonly type: 'CompleteAudioProcessing';
  readonly data: Omit<AudioEventOf<'AudioProcessed'>['data'], 'processedAt'> & { at: string };
};

export type RejectAudio = {
  readonly type: 'RejectAudio';
  readonly data: { audioId: string; reason: AudioRejectionReason; message: string; at: string };
};

export type DeleteAudio = {
  readonly type: 'DeleteAudio';
  readonly data: { audioId: string; at: string };
};

export type AudioCommand = UploadAudio | CompleteAudioProcessing | RejectAudio | DeleteAudio;
