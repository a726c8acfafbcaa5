/**
 * The webhook event types an endpoint may subscribe to, and what in the log each comes from.
 * `*` subscribes to every type, including types added later.
 */
export const WEBHOOK_EVENT_TYPES = [
  'call.ringing',
  'call.started',
  'call.completed',
  'call.failed',
  'recording.ready',
  'campaign.started',
  'campaign.paused',
  'campaign.completed',
  'contact.updated',
  'credits.low',
  'dnc.added',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const ALL_EVENTS = '*';

/** The types a per-call `status_callback_url` receives: that call's status changes. */
export const CALL_STATUS_EVENT_TYPES: readonly WebhookEventType[] = ['call.ringing', 'call.started', 'call.completed', 'call.failed'];

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/** Whether an endpoint subscribed to `subscribed` receives `type`. */
export function subscribes(subscribed: readonly string[], type: WebhookEventType): boolean {
  return subscribed.includes(ALL_EVENTS) || subscribed.includes(type);
}
