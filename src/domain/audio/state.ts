import type { AudioEventOf } from './events.ts';

export type AudioUpload = AudioEventOf<'AudioUploaded'>['data'];
export type AudioProcessing = AudioEventOf<'AudioProcessed'>['data'];

/** One variant per status: a file that is not ready has no playback formats to forget about. */
export type AudioState =
  | { readonly status: 'Initial' }
  | { readonly status: 'Processing'; readonly upload: AudioUpload }
  | { readonly status: 'Ready'; readonly upload: AudioUpload; readonly processed: AudioProcessing }
  | { readonly status: 'Rejected'; readonly upload: AudioUpload; readonly reason: string }
  | { readonly status: 'Deleted'; readonly upload: AudioUpload; readonly deletedAt: string };

export function initialAudioState(): AudioState {
  return { status: 'Initial' };
}
