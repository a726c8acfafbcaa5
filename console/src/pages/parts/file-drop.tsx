import { useRef, useState } from 'preact/hooks';
import type { describedBy as describedByOf } from '../../components/field.tsx';

/**
 * A CSV (or any file) chosen by dropping it on the zone or through the ordinary file picker, which
 * stays a real labelled <input type="file"> so the keyboard and screen readers reach it.
 */
export function FileDrop({ id, label, accept, file, onFile, describedBy }: {
  id: string;
  /** A label of its own; leave it out when a Field around it labels the input. */
  label?: string;
  accept: string;
  file: File | null;
  onFile: (file: File | null) => void;
  describedBy?: ReturnType<typeof describedByOf>;
}) {
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer?.files?.[0];
    if (dropped) onFile(dropped);
  };
  return (
    <div
      class={`dropzone${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <p class="drop-hint">Drop the file here, or choose it:</p>
      {label ? (
        <label class="drop-label" for={id}>
          {label}
        </label>
      ) : null}
      <input
        ref={input}
        id={id}
        type="file"
        accept={accept}
        {...describedBy}
        onChange={(event) => onFile((event.currentTarget as HTMLInputElement).files?.[0] ?? null)}
      />
      {file ? (
        <p class="drop-chosen" data-testid="chosen-file">
          Chosen: <span class="mono">{file.name}</span> ({file.size.toLocaleString()} bytes)
        </p>
      ) : null}
    </div>
  );
}
