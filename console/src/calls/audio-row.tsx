import { useState } from 'preact/hooks';
import { send } from '../api/client.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatSeconds, formatTime } from '../format/values.ts';
import { useObjectUrl } from '../hooks/use-object-url.ts';
import type { AudioView } from './audio-types.ts';

/** One file of the library: play it (fetched on demand with the credentials), or delete it after a confirmation. */
export function AudioRow({ file, onDeleted }: { file: AudioView; onDeleted: () => void }) {
  const player = useObjectUrl();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await send(`/audio/${file.id}`, { method: 'DELETE' });
      onDeleted();
    } catch (failure) {
      // AUDIO_IN_USE (409) names the calls or campaigns that still play it.
      setError(failure);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-audio-id={file.id}>
      <td>{file.name}</td>
      <td>
        <StatusBadge status={file.status} />
      </td>
      <td>{formatSeconds(file.duration_seconds)}</td>
      <td>{formatTime(file.created_at)}</td>
      <td>
        <div class="row-actions">
          {player.url ? (
            <audio controls autoplay src={player.url} aria-label={`Play ${file.name}`} />
          ) : (
            <button type="button" disabled={file.status !== 'ready' || player.loading} onClick={() => void player.load(`/audio/${file.id}/file`)} aria-label={`Play ${file.name}`}>
              {player.loading ? 'Loading…' : 'Play'}
            </button>
          )}
          {confirming ? (
            <>
              <button type="button" class="danger" disabled={busy} onClick={remove}>
                Yes, delete “{file.name}”
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirming(true)} aria-label={`Delete ${file.name}`}>
              Delete
            </button>
          )}
        </div>
        <ErrorNotice error={error ?? player.error} />
      </td>
    </tr>
  );
}
