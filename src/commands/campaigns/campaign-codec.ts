import { campaignEventSchemas, CURRENT_CAMPAIGN_SCHEMA_VERSION, type CampaignEvent } from '../../domain/campaign/events.ts';
import { zodCodec } from '../zod-codec.ts';
import { campaignUpcasters } from './campaign-upcasters.ts';

/**
 * The campaign stream's codec. A dialer that claims often should keep the folded state and read only
 * the events after its last revision (`readStream(stream, { fromRevision })`) rather than refold the
 * whole stream per claim: a 10k-contact campaign is ~30k events.
 */
export const campaignCodec = zodCodec<CampaignEvent>(campaignEventSchemas, CURRENT_CAMPAIGN_SCHEMA_VERSION, campaignUpcasters);
