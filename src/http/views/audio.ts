import type { AudioRecord } from '../../projections/audio/types.ts';

/** The one mapping from audio records to the public snake_case JSON. */
export function audioView(record: AudioRecord) {
  return {
    id: record.audioId,
    name: record.name,
    status: record.status,
    duration_seconds: record.durationMs === null ? null : record.durationMs / 1000,
    formats: record.formats.map((format) => ({
      format: format.format,
      codec: format.codec,
      sample_rate: format.sampleRate,
      channels: format.channels,
      size_bytes: format.sizeBytes,
      sha256: format.sha256,
    })),
    original: {
      format: record.original.container,
      codec: record.original.codec,
      size_bytes: record.original.sizeBytes,
      sha256: record.original.sha256,
      sample_rate: record.original.sampleRate,
      channels: record.original.channels,
    },
    rejection: record.rejection,
    created_at: record.createdAt,
    processed_at: record.processedAt,
  };
}
