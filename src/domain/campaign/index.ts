import type { CampaignCommand } from './commands.ts';
import { decideCampaign } from './decide.ts';
import type { CampaignEvent } from './events.ts';
import { evolveCampaign } from './evolve.ts';
import { initialCampaignState, type CampaignState } from './state.ts';

/**
 * The Campaign aggregate: a list of contacts dialled within a concurrency limit, calling hours and
 * retry rules. Its lifecycle and every contact's attempts share one stream; decide.ts says why.
 */
export * from './commands.ts';
export * from './events.ts';
export * from './settings.ts';
export * from './state.ts';
export { evolveCampaign, evolveCampaignAll } from './evolve.ts';
export { decideCampaign, campaignNotFound } from './decide.ts';
export { callIdForAttempt } from './call-ids.ts';
export { isInsideWindow, nextWindowOpening, nextWindowClosing, windowsCanOverlap, type CallingWindow } from '../shared/calling-window.ts';
export { nextContacts, nextDialableAt, attemptsInFlight, retryAt, outcomeDisposition, isComplete, dueToStart, freeSlots, windowOf, type AttemptToDial } from './dialing.ts';
export { resolveZones, type ZoneSource } from './zones.ts';
export { campaignStatistics, contactBucket, estimateFinish, remainingAttempts, statisticsFromCounts, type CampaignStatistics, type ContactBucket, type EstimatedCampaign, type StatisticsCounts, type StatisticsOptions } from './statistics.ts';

export const campaignDecider: {
  initialState(): CampaignState;
  evolve(state: CampaignState, event: CampaignEvent): CampaignState;
  decide(command: CampaignCommand, state: CampaignState): CampaignEvent[];
} = { initialState: initialCampaignState, evolve: evolveCampaign, decide: decideCampaign };
