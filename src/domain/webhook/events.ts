import { z } from 'zod';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './event-types.ts';

/**
 * A webhook endpoint is one stream, `webhook-<id>`. Its signing secret is stored sealed
 * (AES-256-GCM, src/adapters/webhooks/secret-box.ts), never in the clear: the plaintext is
 * shown once, in the answer to the create or the rotation.
 */

const instant = z.iso.datetime({ offset: true });
const sealedSecret = z.string().regex(/^v1\.[\w-]+\.[\w-]+\.[\w-]*$/, 'Must be a sealed secret');

export const WebhookEventSelection = z.array(z.enum([...WEBHOOK_EVENT_TYPES, ALL_EVENTS])).min(1);

export const WebhookEndpointCreated = z.object({
  endpointId: z.uuid(),
  url: z.string().min(1).max(2048),
  events: WebhookEventSelection,
  description: z.string().max(500).nullable(),
  enabled: z.boolean(),
  sealedSecret,
  at: instant,
});

/** Only the fields that changed. Enabling a disabled endpoint clears its disabled reason. */
export const WebhookEndpointUpdated = z.object({
  endpointId: z.uuid(),
  changes: z
    .object({
      url: z.string().min(1).max(2048),
      events: WebhookEventSelection,
      description: z.string().max(500).nullable(),
      enabled: z.boolean(),
    })
    .partial(),
  at: instant,
});

export const WebhookEndpointDeleted = z.object({ endpointId: z.uuid(), at: instant });

/** The new secret signs from now; the previous one also signs until `previousValidUntil`. */
export const WebhookSecretRotated = z.object({
  endpointId: z.uuid(),
  sealedSecret,
  previousValidUntil: instant,
  at: instant,
});

/** Disabled by delivery: the receiver answered 410, or too many attempts in a row failed. */
export const WebhookEndpointDisabled = z.object({
  endpointId: z.uuid(),
  reason: z.enum(['gone', 'consecutive_failures']),
  message: z.string().max(500),
  consecutiveFailures: z.number().int().nonnegative(),
  at: instant,
});

export const webhookEventSchemas = {
  WebhookEndpointCreated,
  WebhookEndpointUpdated,
  WebhookEndpointDeleted,
  WebhookSecretRotated,
  WebhookEndpointDisabled,
} as const;

export type WebhookDomainEventType = keyof typeof webhookEventSchemas;

export type WebhookDomainEvent = {
  [K in WebhookDomainEventType]: { readonly type: K; readonly data: z.infer<(typeof webhookEventSchemas)[K]> };
}[WebhookDomainEventType];

export type WebhookDomainEventOf<K extends WebhookDomainEventType> = Extract<WebhookDomainEvent, { type: K }>;

export const CURRENT_WEBHOOK_SCHEMA_VERSION: Record<WebhookDomainEventType, number> = {
  WebhookEndpointCreated: 1,
  WebhookEndpointUpdated: 1,
  WebhookEndpointDeleted: 1,
  WebhookSecretRotated: 1,
  WebhookEndpointDisabled: 1,
};

export function isWebhookDomainEventType(type: string): type is WebhookDomainEventType {
  return Object.hasOwn(webhookEventSchemas, type);
}
