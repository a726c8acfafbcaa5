/** A call's or campaign's state as a coloured label; the text carries the meaning, the colour only helps. */
const TONES: Record<string, string> = {
  COMPLETED: 'good', ANSWERED: 'good', completed: 'good', running: 'active', active: 'good',
  RINGING: 'active', DIALING: 'active', QUEUED: 'active', IN_PROGRESS: 'active', in_progress: 'active', SCHEDULED: 'active', scheduled: 'active',
  BUSY: 'warn', NO_ANSWER: 'warn', paused: 'warn', retry_scheduled: 'warn', busy: 'warn', no_answer: 'warn',
  FAILED: 'bad', REJECTED: 'bad', CONGESTION: 'bad', LOST: 'bad', BLOCKED: 'bad', INVALID_NUMBER: 'bad', failed: 'bad', cancelled: 'muted', CANCELLED: 'muted', revoked: 'muted',
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span class="badge badge-muted">—</span>;
  return <span class={`badge badge-${TONES[status] ?? 'muted'}`}>{status.replace(/_/g, ' ')}</span>;
}
