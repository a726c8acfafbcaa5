import { audioNotFound } from '../../domain/audio/decide.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { PlacementStep } from '../calls/placement.ts';
import type { AudioReadiness } from './audio-service.ts';

/**
 * Refuses a call whose audio cannot be played: unknown, another tenant's, rejected or deleted
 * answers 404 AUDIO_NOT_FOUND; still processing answers 409 AUDIO_NOT_READY.
 */
export function audioPlayable(audio: { readiness(tenantId: string, audioId: string): Promise<AudioReadiness> }): PlacementStep {
  return {
    checkOnly: true,
    async beforePlace(call) {
      if (call.audioId === null) return;
      const found = await audio.readiness(call.tenantId, call.audioId);
      if (found.status === 'ready') return;
      if (found.status === 'processing') {
        throw new DomainError('AUDIO_NOT_READY', 'This audio file is still being processed; try again in a moment.', {
          audio_id: call.audioId,
        });
      }
      throw audioNotFound(call.audioId);
    },
  };
}
