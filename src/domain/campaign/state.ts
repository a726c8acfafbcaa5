import type { Money } from '../shared/money.ts';
import { PersistentList } from '../shared/persistent-list.ts';
import type { AttemptOutcome, PauseReason, SkipReason } from './events.ts';
import type { CampaignSettings } from './settings.ts';

/** One attempt of one contact; `ended` stays null while its call is in flight. */
export type AttemptRecord = {
  readonly attempt: number;
  readonly callId: string;
  readonly startedAt: string;
  readonly ended: { readonly outcome: AttemptOutcome; readonly billableSeconds: number; readonly endedAt: string } | null;
  readonly cost: Money | null;
};

type ContactBase = {
  readonly contactId: string;
  readonly phone: string;
  /** Empty for a contact skipped at enrollment: it is never dialled, so never needs a zone. */
  readonly zones: readonly string[];
  /** Attempts that count towards max_attempts; a released attempt is not among them. */
  readonly attempts: readonly AttemptRecord[];
};

/** Where one contact stands, one variant per status. */
export type ContactProgress = ContactBase &
  (
    | { readonly status: 'pending' }
    | { readonly status: 'dialing'; readonly attempt: number; readonly callId: string; readonly since: string }
    | { readonly status: 'retry_scheduled'; readonly retryAt: string }
    | { readonly status: 'done'; readonly outcome: AttemptOutcome }
    | { readonly status: 'skipped'; readonly reason: SkipReason }
  );

export type ContactStatus = ContactProgress['status'];

/** The contacts and the counters the dialer needs without scanning them all. */
export type Roster = {
  /** In enrollment order, which is the order they are dialled in. */
  readonly contacts: PersistentList<ContactProgress>;
  readonly indexOf: ReadonlyMap<string, number>;
  readonly phones: ReadonlySet<string>;
  readonly nextChunk: number;
  readonly enrollmentClosed: boolean;
  /** Attempts claimed and not yet ended or released: the slots in use. */
  readonly inFlight: number;
  /** Contacts done or skipped. */
  readonly finished: number;
  /**
   * Every contact before this index is final. Contacts mostly finish in the order they are dialled,
   * so the dialer's scans start here instead of walking the finished ones on every claim.
   */
  readonly openFrom: number;
  /** Entries naming a contact already enrolled; they are not contacts of their own. */
  readonly duplicateEntries: number;
};

type Campaign = {
  readonly campaignId: string;
  readonly tenantId: string;
  readonly settings: CampaignSettings;
  readonly createdAt: string;
  readonly roster: Roster;
};

export type InitialCampaign = { readonly status: 'Initial' };
/** Created, waiting to be told to start. */
export type DraftCampaign = Campaign & { readonly status: 'Draft' };
/** Told to start; starts by itself at `startAt`. */
export type ScheduledCampaign = Campaign & { readonly status: 'Scheduled'; readonly startAt: string };
export type RunningCampaign = Campaign & { readonly status: 'Running'; readonly startedAt: string };
export type PausedCampaign = Campaign & {
  readonly status: 'Paused';
  readonly startedAt: string;
  readonly reason: PauseReason;
  readonly pausedAt: string;
};
export type CompletedCampaign = Campaign & { readonly status: 'Completed'; readonly completedAt: string };
export type CancelledCampaign = Campaign & { readonly status: 'Cancelled'; readonly cancelledAt: string };

export type CampaignState =
  | InitialCampaign
  | DraftCampaign
  | ScheduledCampaign
  | RunningCampaign
  | PausedCampaign
  | CompletedCampaign
  | CancelledCampaign;

export type ExistingCampaign = Exclude<CampaignState, InitialCampaign>;
export type CampaignStatus = CampaignState['status'];

export function initialCampaignState(): CampaignState {
  return { status: 'Initial' };
}

export function emptyRoster(): Roster {
  return {
    contacts: PersistentList.empty(),
    indexOf: new Map(),
    phones: new Set(),
    nextChunk: 0,
    enrollmentClosed: false,
    inFlight: 0,
    finished: 0,
    openFrom: 0,
    duplicateEntries: 0,
  };
}

export function contactOf(state: ExistingCampaign, contactId: string): ContactProgress | undefined {
  const index = state.roster.indexOf.get(contactId);
  return index === undefined ? undefined : state.roster.contacts.get(index);
}

export function isFinal(contact: ContactProgress): boolean {
  return contact.status === 'done' || contact.status === 'skipped';
}
