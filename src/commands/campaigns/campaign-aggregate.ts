import type { EventStore } from '../../adapters/eventstore/port.ts';
import { campaignDecider, type CampaignCommand, type CampaignEvent, type CampaignState } from '../../domain/campaign/index.ts';
import { CachedAggregate } from '../billing/cached-aggregate.ts';
import { campaignCodec } from './campaign-codec.ts';

export type CampaignAggregate = CachedAggregate<CampaignState, CampaignCommand, CampaignEvent>;

/**
 * One per process, shared by the campaign commands and the dialer: a campaign's stream is appended
 * to on every claim and every call end, so its folded state is kept and only the tail is read.
 * Commands to one campaign queue in this process and are appended in batches; the expected revision
 * guards against the others. The campaign's state is persistent (evolve never alters the state it
 * is given), so a batch that loses a race is decided again from the cached state, not refolded.
 */
export function createCampaignAggregate(store: EventStore): CampaignAggregate {
  return new CachedAggregate(store, campaignDecider, campaignCodec, { cacheSize: 1000, persistentState: true });
}
