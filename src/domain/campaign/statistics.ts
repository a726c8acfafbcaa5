import { addMoney, zeroMoney, type Money } from '../shared/money.ts';
import { nextWindowClosing, nextWindowOpening } from './calling-window.ts';
import { windowOf } from './dialing.ts';
import { SKIP_REASONS, type SkipReason } from './events.ts';
import { isFinal, type CampaignState, type ContactProgress, type ExistingCampaign } from './state.ts';

/**
 * A campaign's statistics, folded from its state (itself the fold of its events), so the read
 * model, the status endpoint and a replay all compute the same numbers. Each contact is in exactly
 * one bucket of `totals`: where it stands now, or for a finished one, how it finished.
 */
export type CampaignStatistics = {
  readonly totals: {
    readonly contacts: number;
    /** Waiting for a first attempt. */
    readonly pending: number;
    readonly inProgress: number;
    readonly retryScheduled: number;
    /** Answered. */
    readonly completed: number;
    /** Finished on the outcome named, after its last attempt. */
    readonly busy: number;
    readonly noAnswer: number;
    /** Finished on any other unanswered outcome (failed, rejected, congestion, invalid, lost...). */
    readonly failed: number;
    /** `duplicate` also counts list entries naming a contact already enrolled (not contacts of their own). */
    readonly skipped: { readonly total: number; readonly byReason: Readonly<Record<SkipReason, number>> };
  };
  readonly attempts: number;
  /** Answered attempts over ended attempts; null before any attempt ended. */
  readonly answerRate: number | null;
  /** Over answered attempts; null before any was answered. */
  readonly averageBillableSeconds: number | null;
  readonly spent: Money;
  readonly inFlight: number;
  /** See `estimateFinish`; null when finished, cancelled, or with nothing to estimate from. */
  readonly eta: string | null;
};

export type ContactBucket = 'pending' | 'inProgress' | 'retryScheduled' | 'completed' | 'busy' | 'noAnswer' | 'failed' | 'skipped';

/** Where one contact counts in `totals`; also what `GET /campaigns/:id/contacts?state=` filters on. */
export function contactBucket(contact: ContactProgress): ContactBucket {
  switch (contact.status) {
    case 'pending':
      return 'pending';
    case 'dialing':
      return 'inProgress';
    case 'retry_scheduled':
      return 'retryScheduled';
    case 'skipped':
      return 'skipped';
    case 'done':
      if (contact.outcome === 'COMPLETED') return 'completed';
      if (contact.outcome === 'BUSY') return 'busy';
      return contact.outcome === 'NO_ANSWER' ? 'noAnswer' : 'failed';
  }
}

export type StatisticsOptions = {
  readonly now: Date;
  /** The account's currency: what `spent` is counted in when nothing was charged yet. */
  readonly currency: string;
  /** The attempt length assumed until one has ended (ring time plus talk time). */
  readonly assumedAttemptSeconds?: number;
};

export function campaignStatistics(state: ExistingCampaign, options: StatisticsOptions): CampaignStatistics {
  const byReason = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
  byReason.duplicate += state.roster.duplicateEntries;
  const buckets: Record<Exclude<ContactBucket, 'skipped'>, number> = { pending: 0, inProgress: 0, retryScheduled: 0, completed: 0, busy: 0, noAnswer: 0, failed: 0 };
  let attempts = 0;
  let ended = 0;
  let answered = 0;
  let billableSeconds = 0;
  let attemptMs = 0;
  let spent = zeroMoney(options.currency);
  for (const contact of state.roster.contacts) {
    const bucket = contactBucket(contact);
    if (bucket !== 'skipped') buckets[bucket] += 1;
    else if (contact.status === 'skipped') byReason[contact.reason] += 1;
    for (const record of contact.attempts) {
      attempts += 1;
      if (record.cost) spent = addMoney(spent, record.cost);
      if (!record.ended) continue;
      ended += 1;
      attemptMs += Math.max(0, Date.parse(record.ended.endedAt) - Date.parse(record.startedAt));
      if (record.ended.outcome === 'COMPLETED') {
        answered += 1;
        billableSeconds += record.ended.billableSeconds;
      }
    }
  }
  const skippedTotal = Object.values(byReason).reduce((sum, count) => sum + count, 0);
  const averageAttemptSeconds = ended > 0 ? attemptMs / ended / 1000 : (options.assumedAttemptSeconds ?? 30);
  return {
    totals: { contacts: state.roster.contacts.size, ...buckets, skipped: { total: skippedTotal, byReason } },
    attempts,
    answerRate: ended > 0 ? answered / ended : null,
    averageBillableSeconds: answered > 0 ? billableSeconds / answered : null,
    spent,
    inFlight: state.roster.inFlight,
    eta: estimateFinish(state, options.now, averageAttemptSeconds, remainingAttempts(state)),
  };
}

/**
 * Attempts still to come: one per unfinished contact, scaled by the attempts each finished contact
 * took so far (a campaign where most numbers are busy twice will need about three attempts each).
 */
function remainingAttempts(state: ExistingCampaign): number {
  let unfinished = 0;
  let finishedAttempts = 0;
  let finishedContacts = 0;
  for (const contact of state.roster.contacts) {
    if (!isFinal(contact)) unfinished += 1;
    else if (contact.status === 'done') {
      finishedContacts += 1;
      finishedAttempts += contact.attempts.length;
    }
  }
  const perContact = finishedContacts > 0 ? finishedAttempts / finishedContacts : 1;
  return unfinished * Math.min(state.settings.maxAttempts, Math.max(1, perContact));
}

/**
 * When the campaign should finish: the remaining attempts × the mean attempt length, shared over
 * `concurrent_limit` lines, laid out over the calling windows in the campaign's own zone from the
 * later of now and the start date. Deliberately simple: callees in other zones, retry delays and
 * balance pauses are not modelled, so it is a lower bound while those apply.
 */
export function estimateFinish(state: CampaignState, now: Date, averageAttemptSeconds: number, remaining: number): string | null {
  if (state.status === 'Initial' || state.status === 'Completed' || state.status === 'Cancelled' || remaining <= 0) return null;
  const zones = [state.settings.schedule.timezone];
  const window = windowOf(state.settings);
  let workMs = (remaining * averageAttemptSeconds * 1000) / state.settings.concurrentLimit;
  const startAt = state.settings.schedule.startAt;
  let at = new Date(Math.max(now.getTime(), startAt === null ? 0 : Date.parse(startAt)));
  for (let windows = 0; windows < 1000 && workMs > 0; windows++) {
    const opening = nextWindowOpening(zones, window, at);
    if (opening === null) return null;
    const closing = nextWindowClosing(zones, window, opening);
    const open = closing === null ? workMs : Math.min(workMs, closing.getTime() - opening.getTime());
    workMs -= open;
    at = new Date(opening.getTime() + open);
  }
  return workMs > 0 ? null : at.toISOString();
}
