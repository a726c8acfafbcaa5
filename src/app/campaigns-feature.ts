import type { Kysely } from 'kysely';
import type { EventStore } from '../adapters/eventstore/port.ts';
import { phoneTimeZones } from '../adapters/phone-zones/phone-time-zones.ts';
import type { AudioReadiness } from '../commands/audio/audio-service.ts';
import { createCampaignAggregate, type CampaignAggregate } from '../commands/campaigns/campaign-aggregate.ts';
import { CampaignService, type CampaignCaller, type DoNotCallFilter, type NewCampaign } from '../commands/campaigns/campaign-service.ts';
import type { ContactService } from '../commands/contacts/contact-service.ts';
import type { AccountSettings } from '../commands/calls/call-service.ts';
import { campaignNotFound } from '../domain/campaign/index.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { GlobalPosition } from '../domain/shared/messages.ts';
import type { CampaignsDependencies } from '../http/campaigns-dependencies.ts';
import type { RequestContext } from '../http/dependencies.ts';
import { toCreateCampaign, type CampaignRequest } from '../http/schemas/campaigns.ts';
import type { CampaignQueries } from '../projections/campaigns/queries.ts';
import type { ContactQueries } from '../projections/contacts/queries.ts';
import { CampaignDialer, type CampaignCallPlacer, type CampaignDialerOptions } from '../reactors/campaign-dialer.ts';

/** For an account the read model does not have yet (it was opened a moment ago). */
const FALLBACK_TIMEZONE = 'UTC';

export type CampaignsFeatureOptions = {
  readonly store: EventStore;
  readonly db: Kysely<any>;
  readonly clock: Clock;
  readonly accounts: AccountSettings & { account(tenantId: string): Promise<{ defaultCountry: string; timeZone: string } | null> };
  readonly audio: { readiness(tenantId: string, audioId: string): Promise<AudioReadiness> };
  readonly contacts: { service: ContactService; queries: ContactQueries };
  readonly calls: CampaignCallPlacer;
  readonly queries: CampaignQueries;
  readonly doNotCall?: DoNotCallFilter;
  /** Resolves once the read models include `position`. */
  readonly waitFor: (position: GlobalPosition | null) => Promise<void>;
  readonly dialer?: CampaignDialerOptions;
};

/** Campaigns, wired: their commands, the dialer that runs them, and the HTTP side over the read model. */
export class CampaignsFeature {
  readonly aggregate: CampaignAggregate;
  readonly service: CampaignService;
  readonly dialer: CampaignDialer;

  constructor(private readonly options: CampaignsFeatureOptions) {
    const { store, clock, contacts } = options;
    this.aggregate = createCampaignAggregate(store);
    this.service = new CampaignService({
      campaigns: this.aggregate,
      clock,
      accounts: options.accounts,
      audio: options.audio,
      contacts: {
        hasList: (tenantId, listId) => contacts.service.hasList(tenantId, listId),
        importCsvAsNewList: (caller, file, list) => contacts.service.importCsvAsNewList(caller, file, list),
        previewCsvAsNewList: (caller, file) => contacts.service.previewCsvAsNewList(caller, file),
        membersOf: async (tenantId, listId, after) => {
          await options.waitFor(after);
          return contacts.queries.membersOf(tenantId, listId.toLowerCase());
        },
      },
      phoneTimeZones,
      ...(options.doNotCall ? { doNotCall: options.doNotCall } : {}),
    });
    this.dialer = new CampaignDialer(options.db, store, this.aggregate, options.calls, () => options.queries.active(), clock, {
      ...options.dialer,
    });
  }

  start(): Promise<void> {
    return this.dialer.start();
  }

  stop(): Promise<void> {
    return this.dialer.stop();
  }

  http(): { campaigns: CampaignsDependencies } {
    const { service, options } = this;
    const { queries, waitFor, accounts } = options;
    const caller = (ctx: RequestContext): CampaignCaller => ({
      tenantId: ctx.principal.tenantId,
      mode: ctx.principal.mode,
      actor: ctx.principal.actor,
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
    });
    const campaignAfter = async (tenantId: string, campaignId: string, position: GlobalPosition | null) => {
      await waitFor(position);
      const found = await queries.get(tenantId, campaignId);
      if (!found) throw campaignNotFound(campaignId);
      return found;
    };
    const newCampaign = async (who: CampaignCaller, request: CampaignRequest, csv: Uint8Array | null): Promise<NewCampaign> => {
      // A request that names no zone is read in the account's own.
      const account = await accounts.account(who.tenantId);
      const defaultCountry = account?.defaultCountry ?? 'US';
      return {
        audioId: request.audioId,
        contactListId: request.source.kind === 'contact_list' ? request.source.contactListId : null,
        csv,
        build: ({ campaignId, at, upload }) =>
          toCreateCampaign(request, {
            campaignId,
            tenantId: who.tenantId,
            at,
            defaultTimezone: account?.timeZone ?? FALLBACK_TIMEZONE,
            defaultCountry,
            mode: who.mode,
            ...(upload ? { upload } : {}),
          }),
      };
    };
    return {
      campaigns: {
        maxCsvBytes: options.contacts.service.settings.csv.maxBytes,
        create: async (ctx, request, csv) => {
          const who = caller(ctx);
          const created = await service.create(who, await newCampaign(who, request, csv));
          void this.dialer.nudge(created.campaignId);
          const campaign = await campaignAfter(who.tenantId, created.campaignId, created.position);
          return { campaign, import: created.import };
        },
        preview: async (ctx, request, csv) => {
          const who = caller(ctx);
          return service.preview(who, await newCampaign(who, request, csv));
        },
        list: (tenantId, query) => queries.list(tenantId, query),
        get: (tenantId, campaignId) => queries.get(tenantId, campaignId),
        contacts: (tenantId, campaignId, query) => queries.contacts(tenantId, campaignId, query),
        transition: async (ctx, campaignId, action) => {
          const who = caller(ctx);
          const position = await service.transition(who, campaignId, action);
          void this.dialer.nudge(campaignId);
          return campaignAfter(who.tenantId, campaignId, position);
        },
      },
    };
  }
}
