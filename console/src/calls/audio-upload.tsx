import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors.ts';
import { uploadWithProgress } from '../api/upload.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import type { AudioView } from './audio-types.ts';

/**
 * Upload to the audio library: drop a file on the zone or pick one, with an optional name. The
 * upload starts at once and shows its progress; the API's refusal (too big, not audio, too long)
 * is shown next to the file field.
 */
export function AudioUpload({ onUploaded }: { onUploaded: (file: AudioView) => void }) {
  const [name, setName] = useState('');
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<AudioView | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const upload = async (file: File) => {
    const form = new FormData();
    if (name.trim()) form.append('name', name.trim());
    form.append('file', file, file.name);
    setError(null);
    setDone(null);
    setProgress(0);
    try {
      const uploaded = await uploadWithProgress<AudioView>('/audio', form, setProgress);
      setDone(uploaded);
      setName('');
      onUploaded(uploaded);
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer?.files[0];
    if (file && progress === null) void upload(file);
  };
  const issues = error instanceof ApiError ? error.fieldIssues() : {};

  return (
    <section class="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload audio</h2>
      <Field id="audio-name" label="Name" error={issues.name} hint="Optional; the file's name is used otherwise">
        <input id="audio-name" value={name} onInput={(event) => setName(event.currentTarget.value)} {...describedBy('audio-name', issues.name, true)} />
      </Field>
      <div
        class={`dropzone${dragging ? ' dragging' : ''}`}
        data-testid="audio-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <Field id="audio-file" label="Audio file (WAV, MP3 or Ogg)" error={issues.file}>
          <input
            id="audio-file"
            ref={input}
            type="file"
            accept="audio/*,.wav,.mp3,.ogg,.opus"
            disabled={progress !== null}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file) void upload(file);
            }}
            {...describedBy('audio-file', issues.file)}
          />
        </Field>
        <p class="dropzone-hint">…or drop a file here.</p>
      </div>
      <div class="upload-status">
        {progress !== null ? <ProgressBar value={Math.round(progress * 100)} max={100} label="Upload progress" /> : null}
        {done ? (
          <p class="notice notice-success" role="status">
            Uploaded “{done.name}” ({done.status}).
          </p>
        ) : null}
        <ErrorNotice error={error} />
      </div>
    </section>
  );
}
