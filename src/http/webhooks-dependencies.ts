import type { DeliveryQuery, WebhookDeliveryRecord, WebhookEndpointRecord } from '../reactors/webhooks/queries.ts';
import type { RequestContext } from './dependencies.ts';

export type WebhookEndpointInput = { url: string; events: string[]; description: string | null; enabled: boolean };
export type WebhookEndpointPatch = Partial<WebhookEndpointInput>;
export type ReplayReport = { count: number; eventIds: string[]; deliveryIds: string[] };

/** What the webhook routes need (src/http/routes/webhooks.ts); absent → those routes answer 404. */
export interface WebhooksDependencies {
  create(ctx: RequestContext, input: WebhookEndpointInput): Promise<{ endpoint: WebhookEndpointRecord; secret: string }>;
  list(tenantId: string): Promise<WebhookEndpointRecord[]>;
  /** Null for an unknown id and for another tenant's. */
  get(tenantId: string, endpointId: string): Promise<WebhookEndpointRecord | null>;
  update(ctx: RequestContext, endpointId: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRecord>;
  remove(ctx: RequestContext, endpointId: string): Promise<void>;
  rotateSecret(ctx: RequestContext, endpointId: string): Promise<{ endpoint: WebhookEndpointRecord; secret: string; previousValidUntil: string }>;
  deliveries(tenantId: string, endpointId: string, query: DeliveryQuery): Promise<{ rows: WebhookDeliveryRecord[]; total: number }>;
  redeliver(ctx: RequestContext, endpointId: string, deliveryId: string): Promise<WebhookDeliveryRecord>;
  replay(ctx: RequestContext, endpointId: string, range: { from: string; to: string }): Promise<ReplayReport>;
}
