import { parsedEvent } from '../shared/checked-event.ts';
import { DomainError, InvalidTransitionError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { AudioCommand, CompleteAudioProcessing, DeleteAudio, RejectAudio, UploadAudio } from './commands.ts';
import { audioEventSchemas, type AudioEvent, type AudioEventOf, type AudioEventType } from './events.ts';
import type { AudioState } from './state.ts';

/**
 * | command \ state          | Initial            | Processing      | Ready                 | Rejected      | Deleted       |
 * |--------------------------|--------------------|-----------------|-----------------------|---------------|---------------|
 * | UploadAudio              | AudioUploaded      | same upload → []; different → AUDIO_ALREADY_EXISTS (409)                           |
 * | CompleteAudioProcessing  | 404                | AudioProcessed  | same → []             | 409 transition| 409 transition|
 * | RejectAudio              | 404                | AudioRejected   | 409 transition        | []            | 409 transition|
 * | DeleteAudio              | 404                | 409 NOT_READY   | AudioDeleted          | AudioDeleted  | []            |
 *
 * Whether a running campaign still uses the file is another aggregate's business: the service asks
 * before it sends DeleteAudio.
 */
export function decideAudio(command: AudioCommand, state: AudioState): AudioEvent[] {
  if (state.status !== 'Initial' && state.upload.audioId !== command.data.audioId) {
    throw new DomainError('AUDIO_ID_MISMATCH', `Command for audio ${command.data.audioId} sent to ${state.upload.audioId}.`);
  }
  switch (command.type) {
    case 'UploadAudio':
      return upload(command, state);
    case 'CompleteAudioProcessing':
      return complete(command, state);
    case 'RejectAudio':
      return reject(command, state);
    case 'DeleteAudio':
      return remove(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown audio command: ${JSON.stringify(unhandled)}`);
    }
  }
}

function emit<K extends AudioEventType>(type: K, data: AudioEventOf<K>['data']): AudioEventOf<K> {
  return parsedEvent(audioEventSchemas[type], type, data) as AudioEventOf<K>;
}

export function audioNotFound(audioId: string): NotFoundError {
  return new NotFoundError('AUDIO_NOT_FOUND', 'No audio file with this id exists in your account.', { audio_id: audioId });
}

function upload(command: UploadAudio, state: AudioState): AudioEvent[] {
  const { at, ...data } = command.data;
  const name = data.name.trim();
  if (name.length === 0 || name.length > 200) throw new ValidationError('name must be 1 to 200 characters.', { field: 'name' });
  const event = emit('AudioUploaded', { ...data, name, uploadedAt: at });
  if (state.status === 'Initial') return [event];
  const same = state.upload.tenantId === data.tenantId && state.upload.original.sha256 === data.original.sha256 && state.upload.name === name;
  if (same) return [];
  throw new DomainError('AUDIO_ALREADY_EXISTS', `Audio ${data.audioId} already exists.`, { audio_id: data.audioId });
}

function complete(command: CompleteAudioProcessing, state: AudioState): AudioEvent[] {
  const { at, ...data } = command.data;
  switch (state.status) {
    case 'Initial':
      throw audioNotFound(data.audioId);
    case 'Processing':
      return [emit('AudioProcessed', { ...data, processedAt: at })];
    case 'Ready':
      if (state.processed.originalKey === data.originalKey && state.processed.durationMs === data.durationMs) return [];
      throw new InvalidTransitionError(`Audio ${data.audioId} was already processed.`, { audio_id: data.audioId });
    default:
      throw new InvalidTransitionError(`Audio ${data.audioId} is ${state.status.toLowerCase()}; it cannot become ready.`, {
        audio_id: data.audioId,
        status: state.status,
      });
  }
}

function reject(command: RejectAudio, state: AudioState): AudioEvent[] {
  const { audioId, reason, message, at } = command.data;
  switch (state.status) {
    case 'Initial':
      throw audioNotFound(audioId);
    case 'Processing':
      return [emit('AudioRejected', { audioId, reason, message: message.slice(0, 500), rejectedAt: at })];
    case 'Rejected':
      return [];
    default:
      throw new InvalidTransitionError(`Audio ${audioId} is ${state.status.toLowerCase()}; it cannot be rejected.`, {
        audio_id: audioId,
        status: state.status,
      });
  }
}

function remove(command: DeleteAudio, state: AudioState): AudioEvent[] {
  const { audioId, at } = command.data;
  switch (state.status) {
    case 'Initial':
      throw audioNotFound(audioId);
    case 'Processing':
      throw new DomainError('AUDIO_NOT_READY', 'This audio file is still being processed; delete it once it is ready.', {
        audio_id: audioId,
      });
    case 'Deleted':
      return [];
    case 'Ready':
    case 'Rejected':
      return [emit('AudioDeleted', { audioId, deletedAt: at })];
  }
}
