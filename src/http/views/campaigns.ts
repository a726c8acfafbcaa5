import type { CampaignStatistics } from '../../domain/campaign/statistics.ts';
import type { Money } from '../../domain/shared/money.ts';
import type { CampaignAttemptRecord, CampaignContactRecord, CampaignRecord } from '../../projections/campaigns/types.ts';
import { contactStateName } from '../schemas/campaign-queries.ts';
import { moneyView } from './billing.ts';

/**
 * The one mapping from campaign read-model rows to public snake_case JSON. Call outcomes are the
 * calls' own words in lowercase (`no_answer`), as `retry_on` accepts them. The concurrency is
 * `concurrent_limit` only (ZensCall's name); OutboundCalls.ai's `concurrent_calls` is accepted on
 * create but not echoed, so a client reads one name whichever it sent.
 */

const lower = (word: string): string => word.toLowerCase();
const money = (amount: Money) => moneyView(amount.amountMinor, amount.currency);

export function statisticsView(stats: CampaignStatistics) {
  const { totals } = stats;
  return {
    totals: {
      contacts: totals.contacts,
      pending: totals.pending,
      in_progress: totals.inProgress,
      retry_scheduled: totals.retryScheduled,
      completed: totals.completed,
      busy: totals.busy,
      no_answer: totals.noAnswer,
      failed: totals.failed,
      skipped: { total: totals.skipped.total, by_reason: { ...totals.skipped.byReason } },
    },
    attempts: stats.attempts,
    answer_rate: stats.answerRate,
    average_billable_seconds: stats.averageBillableSeconds,
    spent: money(stats.spent),
    in_flight: stats.inFlight,
    eta: stats.eta,
  };
}

export function campaignView(campaign: CampaignRecord) {
  const { settings } = campaign;
  const { schedule } = settings;
  return {
    id: campaign.campaignId,
    name: campaign.name,
    status: campaign.status,
    pause_reason: campaign.pauseReason,
    audio_id: settings.audioId,
    caller_id: settings.callerId,
    contact_list_id: settings.source.contactListId,
    /** The import that filled the list, for a campaign created from a CSV upload. */
    import_id: settings.source.kind === 'import' ? settings.source.importId : null,
    concurrent_limit: settings.concurrentLimit,
    max_attempts: settings.maxAttempts,
    max_retries: settings.maxAttempts - 1,
    retry_delay_minutes: settings.retryDelayMinutes,
    retry_on: settings.retryOn.map(lower),
    max_duration_seconds: settings.maxDurationSeconds,
    calls_per_second: settings.callsPerSecond,
    // The read model keeps settings as the event wrote them: campaigns created before v2 have none.
    opt_out_digit: settings.optOutDigit ?? null,
    schedule: {
      start_date: schedule.startAt,
      calling_hours: schedule.callingHours === null ? null : { start: schedule.callingHours.start, end: schedule.callingHours.end },
      timezone: schedule.timezone,
      days: [...schedule.days],
    },
    mode: settings.mode,
    created_at: campaign.createdAt,
    scheduled_for: campaign.scheduledFor,
    started_at: campaign.startedAt,
    paused_at: campaign.pausedAt,
    completed_at: campaign.completedAt,
    cancelled_at: campaign.cancelledAt,
    statistics: statisticsView(campaign.statistics),
  };
}

export function campaignAttemptView(attempt: CampaignAttemptRecord) {
  return {
    call_id: attempt.callId,
    attempt: attempt.attempt,
    started_at: attempt.startedAt,
    outcome: attempt.outcome === null ? null : lower(attempt.outcome),
    billable_seconds: attempt.billableSeconds,
    ended_at: attempt.endedAt,
    cost: attempt.cost === null ? null : money(attempt.cost),
  };
}

export function campaignContactView(contact: CampaignContactRecord) {
  return {
    contact_id: contact.contactId,
    phone: contact.phone,
    state: contactStateName(contact.state),
    skip_reason: contact.skipReason,
    outcome: contact.outcome === null ? null : lower(contact.outcome),
    retry_at: contact.retryAt,
    attempts: contact.attempts.map(campaignAttemptView),
  };
}
