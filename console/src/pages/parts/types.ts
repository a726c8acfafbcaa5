import type { PageInfo } from '../../components/pagination.tsx';

/**
 * The JSON shapes the campaign, contact, do-not-call and webhook pages read, as the engine's views
 * (src/http/views/{campaigns,contacts,dnc,webhooks}.ts) write them. Only the fields a page shows.
 */
export type Paged<T> = { data: T[]; pagination: PageInfo };

export type MoneyView = { amount_minor: number; currency: string };

export type CampaignTotals = {
  contacts: number;
  pending: number;
  in_progress: number;
  retry_scheduled: number;
  completed: number;
  busy: number;
  no_answer: number;
  failed: number;
  skipped: { total: number; by_reason: Record<string, number> };
};

export type CampaignStatistics = {
  totals: CampaignTotals;
  attempts: number;
  answer_rate: number | null;
  average_billable_seconds: number | null;
  spent: MoneyView;
  in_flight: number;
  eta: string | null;
};

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

export type Campaign = {
  id: string;
  name: string;
  status: CampaignStatus;
  pause_reason: string | null;
  audio_id: string;
  caller_id: string | null;
  contact_list_id: string;
  concurrent_limit: number;
  max_attempts: number;
  max_retries: number;
  schedule: { start_date: string | null; calling_hours: { start: string; end: string } | null; timezone: string; days: string[] };
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  statistics: CampaignStatistics;
};

export type CampaignAttempt = { call_id: string; attempt: number; outcome: string | null; billable_seconds: number | null; cost: MoneyView | null };

export type CampaignContact = {
  contact_id: string;
  phone: string;
  state: string;
  skip_reason: string | null;
  outcome: string | null;
  retry_at: string | null;
  attempts: CampaignAttempt[];
};

export type ImportRowError = { line: number; phone: string; reason: string; message: string };

/** What a CSV import answers (contacts, a list, a campaign's upload, the do-not-call list). */
export type ImportReport = {
  import_id?: string;
  list_id?: string | null;
  imported: number;
  duplicates_existing: number;
  rejected: number;
  errors: ImportRowError[];
};

export type Audio = { id: string; name: string; status: string; duration_seconds: number | null };

export type Contact = {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  company: string | null;
  tags: string[];
  time_zone: string | null;
  created_at: string;
};

export type ContactList = { id: string; name: string; description: string | null; contact_count: number; created_at: string };

export type ContactListDetail = ContactList & { contacts: Paged<Contact> };

export type DncEntry = { phone: string; scope: string; reason: string | null; source: string; call_id: string | null; added_at: string; operator_listed?: boolean };

export type DncCheck = { phone: string; listed: boolean; scope: string | null; reason: string | null; source: string | null; added_at: string | null };

export type WebhookEndpoint = {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  status: { state: string; reason: string | null; message: string | null; disabled_at: string | null; consecutive_failures: number };
  secret_rotated_at: string | null;
  previous_secret_valid_until: string | null;
  created_at: string;
};

export type WebhookDeliveryAttempt = { attempt: number; at: string; status_code: number | null; latency_ms: number | null; error: string | null; next_retry_at: string | null };

export type WebhookDelivery = {
  id: string;
  event_id: string;
  event_type: string;
  origin: string;
  status: string;
  attempt_count: number;
  next_attempt_at: string | null;
  enqueued_at: string;
  delivered_at: string | null;
  last_response: { status_code: number | null; latency_ms: number | null; error: string | null };
  attempts: WebhookDeliveryAttempt[];
};
