import { useEffect } from 'preact/hooks';
import { API_BASE } from '../api/client.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { formatSeconds, formatTime } from '../format/values.ts';
import { useObjectUrl } from '../hooks/use-object-url.ts';
import type { RecordingView } from './detail-types.ts';

/** One recording, fetched with the credentials and played from a blob: URL (revoked on unmount). */
export function RecordingPlayer({ recording }: { recording: RecordingView }) {
  const file = useObjectUrl();
  const path = recording.url.startsWith(API_BASE) ? recording.url.slice(API_BASE.length) : recording.url;
  useEffect(() => {
    void file.load(path);
  }, [path]);
  return (
    <figure class="player">
      <figcaption>
        {recording.name} · {formatSeconds(recording.duration_seconds)} · {formatTime(recording.stored_at)}
      </figcaption>
      {file.url ? <audio controls preload="metadata" src={file.url} aria-label={`Recording ${recording.name}`} /> : file.loading ? <p class="muted">Loading the recording…</p> : null}
      <ErrorNotice error={file.error} />
    </figure>
  );
}
