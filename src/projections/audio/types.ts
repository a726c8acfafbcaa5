/** An audio file as the API shows it: from the read model, or folded from the events just written. */
export type AudioRecord = {
  audioId: string;
  tenantId: string;
  name: string;
  status: 'processing' | 'ready' | 'rejected' | 'deleted';
  original: {
    container: string;
    codec: string;
    sizeBytes: number;
    sha256: string;
    sampleRate: number | null;
    channels: number | null;
  };
  durationMs: number | null;
  formats: Array<{ format: string; codec: string; sampleRate: number; channels: number; sizeBytes: number; sha256: string }>;
  rejection: { reason: string; message: string } | null;
  createdAt: string;
  processedAt: string | null;
  deletedAt: string | null;
};

export type ListAudioQuery = { page: number; perPage: number };
