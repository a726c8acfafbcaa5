import type { WebhookDeliveryRecord, WebhookEndpointRecord } from '../../reactors/webhooks/queries.ts';

export function webhookEndpointView(endpoint: WebhookEndpointRecord) {
  return {
    id: endpoint.endpointId,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    enabled: endpoint.enabled,
    // The endpoint's health, as a tenant sees it: why it stopped receiving, when it was switched off.
    status: {
      state: endpoint.enabled ? 'enabled' : endpoint.disabledReason ? 'disabled_by_delivery' : 'disabled',
      reason: endpoint.disabledReason,
      message: endpoint.disabledMessage,
      disabled_at: endpoint.disabledAt,
      consecutive_failures: endpoint.consecutiveFailures,
    },
    secret_rotated_at: endpoint.secretRotatedAt,
    previous_secret_valid_until: endpoint.previousSecretValidUntil,
    created_at: endpoint.createdAt,
    updated_at: endpoint.updatedAt,
  };
}

export function webhookDeliveryView(delivery: WebhookDeliveryRecord) {
  return {
    id: delivery.deliveryId,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    sequence: delivery.sequence,
    origin: delivery.origin,
    status: delivery.status,
    attempt_count: delivery.attempts,
    next_attempt_at: delivery.status === 'pending' ? delivery.nextAttemptAt : null,
    enqueued_at: delivery.enqueuedAt,
    delivered_at: delivery.deliveredAt,
    event_created_at: delivery.eventCreatedAt,
    last_response: { status_code: delivery.lastStatusCode, latency_ms: delivery.lastLatencyMs, error: delivery.lastError },
    attempts: delivery.attemptLog.map((attempt) => ({
      attempt: attempt.attempt,
      at: attempt.at,
      status_code: attempt.statusCode,
      latency_ms: attempt.latencyMs,
      error: attempt.error,
      response: attempt.responseExcerpt,
      next_retry_at: attempt.nextRetryAt,
    })),
  };
}
