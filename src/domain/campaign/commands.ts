import type { Money } from '../shared/money.ts';
import type { AttemptOutcome, CampaignEventOf, SkipReason } from './events.ts';
import type { CampaignSettings } from './settings.ts';

/**
 * Commands to a campaign. `at` always comes from the injected clock (or, for a call's end, the
 * carrier's timestamp); the decider never reads one.
 */

export type CreateCampaign = {
  readonly type: 'CreateCampaign';
  readonly data: {
    campaignId: string;
    tenantId: string;
    settings: CampaignSettings;
    /** Start at once (or at the start date, when that is later) instead of waiting to be told. */
    autoStart: boolean;
    at: string;
  };
};

/** A person starts it: at once, or at its start date when that is still ahead. */
export type StartCampaign = { readonly type: 'StartCampaign'; readonly data: { campaignId: string; at: string } };

/** The scheduler's timer: the start date has come. Sent with `at` ≥ the start date. */
export type StartScheduledCampaign = {
  readonly type: 'StartScheduledCampaign';
  readonly data: { campaignId: string; at: string };
};

export type PauseCampaign = { readonly type: 'PauseCampaign'; readonly data: { campaignId: string; at: string } };

/** Billing refused a call for want of balance, outside any one attempt. */
export type PauseCampaignForBalance = {
  readonly type: 'PauseCampaignForBalance';
  readonly data: { campaignId: string; at: string };
};

export type ResumeCampaign = { readonly type: 'ResumeCampaign'; readonly data: { campaignId: string; at: string } };
export type CancelCampaign = { readonly type: 'CancelCampaign'; readonly data: { campaignId: string; at: string } };

/** Completes a campaign whose every contact has its final outcome (normally automatic). */
export type CompleteCampaign = { readonly type: 'CompleteCampaign'; readonly data: { campaignId: string; at: string } };

export type ContactToEnroll = {
  contactId: string;
  /** E.164 as the contact store holds it; anything else is skipped as an invalid number. */
  phone: string;
  zones: CampaignEventOf<'CampaignContactsEnrolled'>['data']['contacts'][number]['zones'];
  zoneSource: CampaignEventOf<'CampaignContactsEnrolled'>['data']['contacts'][number]['zoneSource'];
  /** Set by the command layer when it already knows (the do-not-call list, a number it could not read). */
  skip?: SkipReason;
};

export type EnrollContacts = {
  readonly type: 'EnrollContacts';
  readonly data: { campaignId: string; chunk: number; contacts: readonly ContactToEnroll[]; at: string };
};

export type CloseEnrollment = { readonly type: 'CloseEnrollment'; readonly data: { campaignId: string; at: string } };

/**
 * The dialer asks for work: the decider picks the contacts to dial now (nextContacts) and claims
 * them. `max` lets the dialer take fewer than the free slots (calls-per-second pacing).
 */
export type ClaimAttempts = {
  readonly type: 'ClaimAttempts';
  readonly data: { campaignId: string; max: number; at: string };
};

/** The attempt's call was refused before it existed. */
export type RefuseAttempt = {
  readonly type: 'RefuseAttempt';
  readonly data: {
    campaignId: string;
    contactId: string;
    attempt: number;
    callId: string;
    reason: 'insufficient_balance' | Exclude<SkipReason, 'duplicate'>;
    at: string;
  };
};

/** The attempt's call ended (CallCompleted or CallFailed on its stream). */
export type RecordAttemptEnded = {
  readonly type: 'RecordAttemptEnded';
  readonly data: {
    campaignId: string;
    contactId: string;
    attempt: number;
    callId: string;
    outcome: AttemptOutcome;
    billableSeconds: number;
    endedAt: string;
  };
};

export type RecordAttemptCharged = {
  readonly type: 'RecordAttemptCharged';
  readonly data: { campaignId: string; contactId: string; attempt: number; callId: string; cost: Money };
};

export type CampaignCommand =
  | CreateCampaign
  | StartCampaign
  | StartScheduledCampaign
  | PauseCampaign
  | PauseCampaignForBalance
  | ResumeCampaign
  | CancelCampaign
  | CompleteCampaign
  | EnrollContacts
  | CloseEnrollment
  | ClaimAttempts
  | RefuseAttempt
  | RecordAttemptEnded
  | RecordAttemptCharged;
