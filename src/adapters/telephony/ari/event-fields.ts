/**
 * Safe readers for the parts of ARI events we use. Events arrive as untyped JSON; a field that
 * is missing or of the wrong type reads as null rather than throwing inside the event loop.
 */
type Json = Record<string, unknown>;

const objectAt = (value: unknown, key: string): Json | null => {
  if (!value || typeof value !== 'object') return null;
  const inner = (value as Json)[key];
  return inner && typeof inner === 'object' ? (inner as Json) : null;
};

const stringAt = (value: Json | null, key: string): string | null =>
  value && typeof value[key] === 'string' ? (value[key] as string) : null;

const numberAt = (value: Json | null, key: string): number | null =>
  value && typeof value[key] === 'number' && Number.isFinite(value[key]) ? (value[key] as number) : null;

export const channelOf = (event: unknown) => {
  const channel = objectAt(event, 'channel');
  return channel ? { id: stringAt(channel, 'id'), state: stringAt(channel, 'state') } : null;
};

export const playbackOf = (event: unknown) => {
  const playback = objectAt(event, 'playback');
  return playback
    ? { id: stringAt(playback, 'id'), media: stringAt(playback, 'media_uri'), target: stringAt(playback, 'target_uri') }
    : null;
};

export const recordingOf = (event: unknown) => {
  const recording = objectAt(event, 'recording');
  return recording
    ? {
        name: stringAt(recording, 'name'),
        format: stringAt(recording, 'format'),
        target: stringAt(recording, 'target_uri'),
        durationSeconds: numberAt(recording, 'duration'),
      }
    : null;
};

export const fieldString = (event: unknown, key: string): string | null =>
  event && typeof event === 'object' ? stringAt(event as Json, key) : null;

export const fieldNumber = (event: unknown, key: string): number | null =>
  event && typeof event === 'object' ? numberAt(event as Json, key) : null;

/** GET /channels answers an array of channel objects. */
export function channelList(body: unknown): Map<string, { state: string }> | null {
  if (!Array.isArray(body)) return null;
  const channels = new Map<string, { state: string }>();
  for (const item of body) {
    const id = stringAt(item as Json, 'id');
    if (id !== null) channels.set(id, { state: stringAt(item as Json, 'state') ?? 'Unknown' });
  }
  return channels;
}
