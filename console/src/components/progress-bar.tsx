/** A labelled progress bar (the native element, so it is announced with its value). */
export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const percent = max > 0 ? Math.floor((value * 100) / max) : 0;
  return (
    <div class="progress">
      <progress value={value} max={max > 0 ? max : 1} aria-label={label} />
      <span class="progress-text">{percent} %</span>
    </div>
  );
}
