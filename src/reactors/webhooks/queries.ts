import type { Kysely } from 'kysely';
import { ATTEMPTS, DELIVERIES, ENDPOINTS, type StoredSecret } from './tables.ts';

export type WebhookEndpointRecord = {
  endpointId: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  disabledMessage: string | null;
  disabledAt: string | null;
  consecutiveFailures: number;
  secretRotatedAt: string | null;
  /** While a rotation's grace period runs, the old secret signs too until then. */
  previousSecretValidUntil: string | null;
  createdAt: string;
  updatedAt: string;
};

export type WebhookAttemptRecord = {
  attempt: number;
  at: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
  nextRetryAt: string | null;
};

export type WebhookDeliveryRecord = {
  deliveryId: string;
  eventId: string;
  eventType: string;
  sequence: number;
  origin: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  enqueuedAt: string;
  deliveredAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  eventCreatedAt: string;
  attemptLog: WebhookAttemptRecord[];
};

export type DeliveryQuery = { status: string | null; page: number; perPage: number };

/** A delivery to queue again: the exact body first sent (redeliver), or one rebuilt from the log (replay). */
export type QueuedDelivery = { eventId: string; eventType: string; sequence: number; body: string; eventCreatedAt: string };

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value as string).toISOString());

/** Reads and writes of the webhook tables for the API; every read takes the tenant. */
export class WebhookQueries {
  constructor(private readonly db: Kysely<any>) {}

  async endpoint(tenantId: string, endpointId: string): Promise<WebhookEndpointRecord | null> {
    const row = await this.db
      .selectFrom(ENDPOINTS)
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('endpoint_id', '=', endpointId)
      .where('kind', '=', 'endpoint')
      .where('deleted', '=', false)
      .executeTakeFirst();
    return row ? endpointOf(row) : null;
  }

  async endpoints(tenantId: string): Promise<WebhookEndpointRecord[]> {
    const rows = await this.db
      .selectFrom(ENDPOINTS)
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'endpoint')
      .where('deleted', '=', false)
      .orderBy('created_at', 'desc')
      .orderBy('endpoint_id')
      .execute();
    return rows.map(endpointOf);
  }

  async deliveries(tenantId: string, endpointId: string, query: DeliveryQuery): Promise<{ rows: WebhookDeliveryRecord[]; total: number }> {
    let base = this.db.selectFrom(DELIVERIES).where('tenant_id', '=', tenantId).where('endpoint_id', '=', endpointId);
    if (query.status) base = base.where('status', '=', query.status);
    const counted = await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirst();
    const rows = await base
      .selectAll()
      .orderBy('queue_no', 'desc')
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage)
      .execute();
    return { rows: await this.withAttempts(rows), total: Number(counted?.total ?? 0) };
  }

  async delivery(tenantId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryRecord | null> {
    const row = await this.db
      .selectFrom(DELIVERIES)
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('endpoint_id', '=', endpointId)
      .where('delivery_id', '=', deliveryId)
      .executeTakeFirst();
    return row ? ((await this.withAttempts([row]))[0] ?? null) : null;
  }

  /** The first delivery of each event to this endpoint, by event id: what a replay sends again. */
  async firstDeliveries(endpointId: string, eventIds: readonly string[]): Promise<Map<string, { sequence: number; body: string }>> {
    const found = new Map<string, { sequence: number; body: string }>();
    for (let start = 0; start < eventIds.length; start += 1000) {
      const rows = await this.db
        .selectFrom(DELIVERIES)
        .select(['event_id', 'sequence', 'body'])
        .where('endpoint_id', '=', endpointId)
        .where('origin', '=', 'log')
        .where('event_id', 'in', eventIds.slice(start, start + 1000))
        .execute();
      for (const row of rows) found.set(row.event_id as string, { sequence: Number(row.sequence), body: row.body as string });
    }
    return found;
  }

  /** Sequences for events the endpoint never had (a replay of a time before it subscribed). */
  async takeSequences(endpointId: string, count: number): Promise<number> {
    const row = await this.db
      .updateTable(ENDPOINTS)
      .set((eb) => ({ next_sequence: eb('next_sequence', '+', String(count)) }))
      .where('endpoint_id', '=', endpointId)
      .returning('next_sequence')
      .executeTakeFirstOrThrow();
    return Number(row.next_sequence) - count;
  }

  /** New deliveries at the back of the endpoint's queue, in the order given. */
  async enqueue(tenantId: string, endpointId: string, origin: 'redeliver' | 'replay', items: readonly QueuedDelivery[], now: Date): Promise<string[]> {
    const ids = items.map(() => `dlv_${crypto.randomUUID().replace(/-/g, '')}`);
    const at = now.toISOString();
    for (let start = 0; start < items.length; start += 2000) {
      await this.db
        .insertInto(DELIVERIES)
        .values(
          items.slice(start, start + 2000).map((item, index) => ({
            delivery_id: ids[start + index],
            endpoint_id: endpointId,
            tenant_id: tenantId,
            event_id: item.eventId,
            event_type: item.eventType,
            sequence: String(item.sequence),
            body: item.body,
            origin,
            status: 'pending',
            next_attempt_at: at,
            enqueued_at: at,
            event_created_at: item.eventCreatedAt,
          })),
        )
        .execute();
    }
    return ids;
  }

  async body(deliveryId: string): Promise<{ body: string; eventId: string; eventType: string; sequence: number; eventCreatedAt: string } | null> {
    const row = await this.db.selectFrom(DELIVERIES).select(['body', 'event_id', 'event_type', 'sequence', 'event_created_at']).where('delivery_id', '=', deliveryId).executeTakeFirst();
    if (!row) return null;
    return { body: row.body as string, eventId: row.event_id as string, eventType: row.event_type as string, sequence: Number(row.sequence), eventCreatedAt: iso(row.event_created_at)! };
  }

  private async withAttempts(rows: Record<string, unknown>[]): Promise<WebhookDeliveryRecord[]> {
    const ids = rows.map((row) => row.delivery_id as string);
    const attempts = ids.length === 0 ? [] : await this.db.selectFrom(ATTEMPTS).selectAll().where('delivery_id', 'in', ids).orderBy('attempt').execute();
    const byDelivery = new Map<string, WebhookAttemptRecord[]>();
    for (const row of attempts) {
      const list = byDelivery.get(row.delivery_id as string) ?? [];
      list.push({
        attempt: Number(row.attempt),
        at: iso(row.at)!,
        statusCode: row.status_code === null ? null : Number(row.status_code),
        latencyMs: Number(row.latency_ms),
        error: (row.error as string | null) ?? null,
        responseExcerpt: (row.response_excerpt as string | null) ?? null,
        nextRetryAt: iso(row.next_retry_at),
      });
      byDelivery.set(row.delivery_id as string, list);
    }
    return rows.map((row) => ({
      deliveryId: row.delivery_id as string,
      eventId: row.event_id as string,
      eventType: row.event_type as string,
      sequence: Number(row.sequence),
      origin: row.origin as string,
      status: row.status as string,
      attempts: Number(row.attempts),
      nextAttemptAt: iso(row.next_attempt_at),
      enqueuedAt: iso(row.enqueued_at)!,
      deliveredAt: iso(row.delivered_at),
      lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
      lastError: (row.last_error as string | null) ?? null,
      lastLatencyMs: row.last_latency_ms === null ? null : Number(row.last_latency_ms),
      eventCreatedAt: iso(row.event_created_at)!,
      attemptLog: byDelivery.get(row.delivery_id as string) ?? [],
    }));
  }
}

function endpointOf(row: Record<string, unknown>): WebhookEndpointRecord {
  const secrets = JSON.parse(row.secrets as string) as StoredSecret[];
  return {
    endpointId: row.endpoint_id as string,
    url: row.url as string,
    events: JSON.parse(row.events as string) as string[],
    description: (row.description as string | null) ?? null,
    enabled: Boolean(row.enabled),
    disabledReason: (row.disabled_reason as string | null) ?? null,
    disabledMessage: (row.disabled_message as string | null) ?? null,
    disabledAt: iso(row.disabled_at),
    consecutiveFailures: Number(row.consecutive_failures),
    secretRotatedAt: iso(row.secret_rotated_at),
    previousSecretValidUntil: secrets.find((secret) => secret.validUntil !== null)?.validUntil ?? null,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
