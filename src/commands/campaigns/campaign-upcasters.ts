import { CURRENT_CAMPAIGN_SCHEMA_VERSION } from '../../domain/campaign/events.ts';
import { UpcasterRegistry } from '../../domain/shared/upcasting.ts';

/** Steps that lift stored campaign events to the current schema: register(type, fromVersion, step). */
export const campaignUpcasters = new UpcasterRegistry(CURRENT_CAMPAIGN_SCHEMA_VERSION)
  // v2 added settings.optOutDigit; no campaign before it offered an opt-out key.
  .register('CampaignCreated', 1, (data) => ({ ...data, settings: { ...(data.settings as object), optOutDigit: null } }));
