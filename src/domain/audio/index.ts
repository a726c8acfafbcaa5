import type { AudioCommand } from './commands.ts';
import { decideAudio } from './decide.ts';
import type { AudioEvent } from './events.ts';
import { evolveAudio } from './evolve.ts';
import { initialAudioState, type AudioState } from './state.ts';

/** The Audio aggregate: an uploaded file, its processing into playable formats, and its deletion. */
export * from './commands.ts';
export * from './events.ts';
export { initialAudioState, type AudioState, type AudioUpload, type AudioProcessing } from './state.ts';
export { evolveAudio } from './evolve.ts';
export { decideAudio, audioNotFound } from './decide.ts';

export const audioDecider: {
  initialState(): AudioState;
  evolve(state: AudioState, event: AudioEvent): AudioState;
  decide(command: AudioCommand, state: AudioState): AudioEvent[];
} = { initialState: initialAudioState, evolve: evolveAudio, decide: decideAudio };
