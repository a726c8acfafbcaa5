/** The JSON of the audio API (src/http/views/audio.ts), as far as the console reads it. */
export type AudioView = {
  id: string;
  name: string;
  status: 'processing' | 'ready' | 'rejected' | 'deleted';
  duration_seconds: number | null;
  original: { format: string | null; size_bytes: number };
  rejection: unknown;
  created_at: string;
};
