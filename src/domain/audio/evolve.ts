import { isAudioEventType, type AudioEvent } from './events.ts';
import type { AudioState } from './state.ts';

/** Folds one event in. Unknown types and events that do not fit are skipped: a stream must always load. */
export function evolveAudio(state: AudioState, event: { readonly type: string; readonly data: unknown }): AudioState {
  if (!isAudioEventType(event.type)) return state;
  const known = event as AudioEvent;
  switch (known.type) {
    case 'AudioUploaded':
      return state.status === 'Initial' ? { status: 'Processing', upload: known.data } : state;
    case 'AudioProcessed':
      return state.status === 'Processing' ? { status: 'Ready', upload: state.upload, processed: known.data } : state;
    case 'AudioRejected':
      return state.status === 'Processing' ? { status: 'Rejected', upload: state.upload, reason: known.data.reason } : state;
    case 'AudioDeleted':
      return state.status === 'Initial' || state.status === 'Deleted'
        ? state
        : { status: 'Deleted', upload: state.upload, deletedAt: known.data.deletedAt };
    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}
