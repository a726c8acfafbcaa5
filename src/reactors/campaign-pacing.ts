import type { Clock } from '../domain/shared/clock.ts';

/**
 * A campaign's calls_per_second, per process: at most that many claims in each second of the
 * injected clock. Processes do not share it (the claims' own counter is the concurrent limit); the
 * trunk's pacing in the ARI adapter still caps what actually reaches the PBX.
 */
export class CampaignPacing {
  private readonly spent = new Map<string, { second: number; used: number }>();

  constructor(private readonly clock: Clock) {}

  /** Claims allowed now; Infinity without a limit (the free slots then decide). */
  budget(campaignId: string, callsPerSecond: number | null): number {
    if (callsPerSecond === null) return Number.POSITIVE_INFINITY;
    const entry = this.current(campaignId);
    return Math.max(0, callsPerSecond - entry.used);
  }

  spend(campaignId: string, claims: number): void {
    this.current(campaignId).used += claims;
  }

  private current(campaignId: string): { second: number; used: number } {
    const second = Math.floor(this.clock.now().getTime() / 1000);
    let entry = this.spent.get(campaignId);
    if (!entry || entry.second !== second) {
      entry = { second, used: 0 };
      this.spent.set(campaignId, entry);
    }
    return entry;
  }
}
