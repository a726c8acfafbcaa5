import { sql, type Kysely } from 'kysely';

/**
 * Announces appends to other processes with NOTIFY, sent after the append has committed and
 * coalesced so at most one is in flight per store.
 *
 * Why not NOTIFY inside the append: PostgreSQL serialises the commits of every transaction that
 * notified (they queue on one lock for the database's notification queue, held across the commit's
 * WAL flush), so 16 writers that each notify commit one at a time and lose group commit. A separate
 * statement that only notifies commits without waiting for the flush (the wake-up is best effort;
 * subscribers poll as well), and one NOTIFY covers every append that finished before it was sent.
 */
export class CoalescedNotify {
  private inFlight: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Kysely<any>,
    private readonly channel: string,
  ) {}

  /** Called after an append committed: a NOTIFY that starts after this call will announce it. */
  request(): void {
    if (this.inFlight !== undefined) {
      this.again = true;
      return;
    }
    this.inFlight = this.sendUntilCaughtUp();
  }

  /** Waits for the NOTIFY in flight, if any (before the connection is closed). */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  private async sendUntilCaughtUp(): Promise<void> {
    try {
      do {
        this.again = false;
        await sql`select es_wake(${this.channel})`.execute(this.db).catch(() => {
          // A lost wake-up costs latency only: subscribers poll.
        });
      } while (this.again);
    } finally {
      this.inFlight = undefined;
    }
  }
}
