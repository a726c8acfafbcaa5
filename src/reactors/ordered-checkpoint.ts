import { comparePositions, type GlobalPosition } from '../domain/shared/messages.ts';

/**
 * Tracks events handled concurrently and yields the highest position below which every event is
 * done: the only position a reactor may checkpoint without risking a skipped event on restart.
 */
export class OrderedCheckpoint {
  private readonly pending: { position: GlobalPosition; done: boolean }[] = [];
  private safe: GlobalPosition | null = null;

  begin(position: GlobalPosition): () => void {
    const entry = { position, done: false };
    this.pending.push(entry);
    return () => {
      entry.done = true;
      while (this.pending[0]?.done) this.safe = this.pending.shift()!.position;
    };
  }

  /** The last position with nothing unfinished at or before it, or null if none yet. */
  get position(): GlobalPosition | null {
    return this.safe;
  }

  isAfter(position: GlobalPosition | null, than: GlobalPosition | null): boolean {
    if (!position) return false;
    return than === null || comparePositions(position, than) > 0;
  }
}
