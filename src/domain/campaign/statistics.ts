import { addMoney, zeroMoney, type Money } from '../shared/money.ts';
import { nextWindowClosing, nextWindowOpening } from '../shared/calling-window.ts';
import { windowOf } from './dialing.ts';
import { SKIP_REASONS, type SkipReason } from './events.ts';
import type { CampaignSettings } from './settings.ts';
import type { CampaignState, ContactProgress, ExistingCampaign } from './state.ts';

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

/**
 * What the statistics are made of: sums a fold of the state gives (campaignStatistics) and the read
 * model keeps as counters and SQL aggregates. Both go through `statisticsFromCounts`, so the two
 * cannot compute different numbers from the same events.
 */
export type StatisticsCounts = {
  readonly buckets: Readonly<Record<ContactBucket, number>>;
  /** Skipped contacts by reason, duplicate list entries included under `duplicate`. */
  readonly skippedByReason: Readonly<Record<SkipReason, number>>;
  readonly attempts: number;
  readonly endedAttempts: number;
  readonly answeredAttempts: number;
  readonly answeredBillableSeconds: number;
  /** Sum over ended attempts of endedAt − startedAt. */
  readonly attemptMs: number;
  /** Attempts made by the contacts that are done (not those skipped). */
  readonly finishedAttempts: number;
  readonly spent: Money;
  readonly inFlight: number;
};

/** The part of a campaign the ETA reads. */
export type EstimatedCampaign =
  | { readonly status: 'Initial' }
  | { readonly status: Exclude<CampaignState['status'], 'Initial'>; readonly settings: CampaignSettings };

export function campaignStatistics(state: ExistingCampaign, options: StatisticsOptions): CampaignStatistics {
  const skippedByReason = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
  skippedByReason.duplicate += state.roster.duplicateEntries;
  const buckets: Record<ContactBucket, number> = { pending: 0, inProgress: 0, retryScheduled: 0, completed: 0, busy: 0, noAnswer: 0, failed: 0, skipped: 0 };
  let attempts = 0;
  let endedAttempts = 0;
  let answeredAttempts = 0;
  let answeredBillableSeconds = 0;
  let attemptMs = 0;
  let finishedAttempts = 0;
  let spent = zeroMoney(options.currency);
  for (const contact of state.roster.contacts) {
    buckets[contactBucket(contact)] += 1;
    if (contact.status === 'skipped') skippedByReason[contact.reason] += 1;
    if (contact.status === 'done') finishedAttempts += contact.attempts.length;
    for (const record of contact.attempts) {
      attempts += 1;
      if (record.cost) spent = addMoney(spent, record.cost);
      if (!record.ended) continue;
      endedAttempts += 1;
      attemptMs += Math.max(0, Date.parse(record.ended.endedAt) - Date.parse(record.startedAt));
      if (record.ended.outcome === 'COMPLETED') {
        answeredAttempts += 1;
        answeredBillableSeconds += record.ended.billableSeconds;
      }
    }
  }
  const counts = { buckets, skippedByReason, attempts, endedAttempts, answeredAttempts, answeredBillableSeconds, attemptMs, finishedAttempts, spent, inFlight: state.roster.inFlight };
  return statisticsFromCounts(state, counts, options);
}

export function statisticsFromCounts(
  campaign: EstimatedCampaign,
  counts: StatisticsCounts,
  options: Pick<StatisticsOptions, 'now' | 'assumedAttemptSeconds'>,
): CampaignStatistics {
  const { buckets, endedAttempts: ended, answeredAttempts: answered } = counts;
  const byReason = { ...counts.skippedByReason };
  const skippedTotal = Object.values(byReason).reduce((sum, count) => sum + count, 0);
  const contacts = Object.values(buckets).reduce((sum, count) => sum + count, 0);
  const averageAttemptSeconds = ended > 0 ? counts.attemptMs / ended / 1000 : (options.assumedAttemptSeconds ?? 30);
  const unfinished = buckets.pending + buckets.inProgress + buckets.retryScheduled;
  const done = buckets.completed + buckets.busy + buckets.noAnswer + buckets.failed;
  const remaining = campaign.status === 'Initial' ? 0 : remainingAttempts(unfinished, done, counts.finishedAttempts, campaign.settings.maxAttempts);
  return {
    totals: {
      contacts,
      pending: buckets.pending,
      inProgress: buckets.inProgress,
      retryScheduled: buckets.retryScheduled,
      completed: buckets.completed,
      busy: buckets.busy,
      noAnswer: buckets.noAnswer,
      failed: buckets.failed,
      skipped: { total: skippedTotal, byReason },
    },
    attempts: counts.attempts,
    answerRate: ended > 0 ? answered / ended : null,
    averageBillableSeconds: answered > 0 ? counts.answeredBillableSeconds / answered : null,
    spent: counts.spent,
    inFlight: counts.inFlight,
    eta: estimateFinish(campaign, options.now, averageAttemptSeconds, remaining),
  };
}

/**
 * Attempts still to come: one per unfinished contact, scaled by the attempts each finished contact
 * took so far (a campaign where most numbers are busy twice will need about three attempts each).
 */
export function remainingAttempts(unfinished: number, finishedContacts: number, finishedAttempts: number, maxAttempts: number): number {
  const perContact = finishedContacts > 0 ? finishedAttempts / finishedContacts : 1;
  return unfinished * Math.min(maxAttempts, Math.max(1, perContact));
}

/**
 * When the campaign should finish: the remaining attempts × the mean attempt length, shared over
 * `concurrent_limit` lines, laid out over the calling windows in the campaign's own zone from the
 * later of now and the start date. Deliberately simple: callees in other zones, retry delays and
 * balance pauses are not modelled, so it is a lower bound while those apply.
 */
export function estimateFinish(state: EstimatedCampaign, now: Date, averageAttemptSeconds: number, remaining: number): string | null {
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
