/** Hand-offs remembered until the log delivers their event; older ones are simply handled again. */
const REMEMBERED = 10_000;

/**
 * Events a reactor was handed in-process, right after this process wrote them, and started on
 * before its subscription delivered them.
 *
 * The subscription stays the source of truth: when it delivers a handed-off event, the reactor
 * waits for the work already started (so its checkpoint never moves past an event still being
 * handled) instead of starting it again. A hand-off forgotten (evicted, or a restart) is handled
 * from the log as before, which every reactor must survive anyway: they are idempotent.
 */
export class HandOffs {
  private readonly started = new Map<string, Promise<void>>();

  /** False when `eventId` was handed off already: the work is under way. */
  begin(eventId: string, work: () => Promise<void>): boolean {
    if (this.started.has(eventId)) return false;
    this.started.set(eventId, work());
    if (this.started.size > REMEMBERED) this.started.delete(this.started.keys().next().value!);
    return true;
  }

  /** The work started for `eventId` by a hand-off, once: the log's delivery waits for it instead. */
  take(eventId: string): Promise<void> | undefined {
    const work = this.started.get(eventId);
    if (work) this.started.delete(eventId);
    return work;
  }
}
