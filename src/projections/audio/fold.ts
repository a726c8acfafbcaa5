import type { AudioEvent } from '../../domain/audio/events.ts';
import type { AudioRecord } from './types.ts';

/** One event folded into the public record; the projection and the upload response share it. */
export function foldAudioRecord(record: AudioRecord | null, event: AudioEvent): AudioRecord | null {
  switch (event.type) {
    case 'AudioUploaded': {
      if (record) return record;
      const { original } = event.data;
      return {
        audioId: event.data.audioId,
        tenantId: event.data.tenantId,
        name: event.data.name,
        status: 'processing',
        original: {
          container: original.container,
          codec: original.codec,
          sizeBytes: original.sizeBytes,
          sha256: original.sha256,
          sampleRate: original.sampleRate,
          channels: original.channels,
        },
        durationMs: null,
        formats: [],
        rejection: null,
        createdAt: event.data.uploadedAt,
        processedAt: null,
        deletedAt: null,
      };
    }
    case 'AudioProcessed':
      if (!record || record.status !== 'processing') return record;
      return {
        ...record,
        status: 'ready',
        durationMs: event.data.durationMs,
        formats: event.data.formats.map(({ key: _key, ...format }) => format),
        processedAt: event.data.processedAt,
      };
    case 'AudioRejected':
      if (!record || record.status !== 'processing') return record;
      return { ...record, status: 'rejected', rejection: { reason: event.data.reason, message: event.data.message } };
    case 'AudioDeleted':
      if (!record || record.status === 'deleted') return record;
      return { ...record, status: 'deleted', deletedAt: event.data.deletedAt };
  }
}
