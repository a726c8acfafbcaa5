import type { Kysely, Transaction } from 'kysely';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf, idOf } from '../../domain/shared/streams.ts';
import {
  CALL_STATUS_EVENT_TYPES,
  isWebhookDomainEventType,
  isWebhookSource,
  payloadBody,
  payloadIdOf,
  subscribes,
  webhookEventOf,
  type WebhookDomainEvent,
  type WebhookEvent,
} from '../../domain/webhook/index.ts';
import type { Projection } from '../../projections/projection.ts';
import { DELIVERIES, ENDPOINTS, migrateWebhookTables, type StoredSecret } from './tables.ts';

/**
 * The webhook outbox: a reactor on the log, run by a ProjectionRunner of its own (not in the
 * read-model registry). Each batch — the endpoints' own events and the facts integrators hear
 * about — is applied in the transaction that stores its checkpoint, so a delivery row exists if
 * and only if the checkpoint moved past its event: a crash can neither lose nor double one.
 * Each endpoint's `sequence` is counted here, in log order.
 */

export const WEBHOOK_OUTBOX_NAME = 'webhook-outbox';

/** Postgres allows 65535 parameters a statement; 11 a row. */
const ROWS_PER_INSERT = 2000;

type EndpointRoute = { endpointId: string; events: string[]; enabled: boolean; deleted: boolean; nextSequence: number; dirty: boolean };

/** How many calls without a status callback the outbox remembers (oldest forgotten first). */
const REMEMBERED_CALLS = 50_000;

export function webhookOutbox(): Projection {
  // Calls whose CallRequested named no status callback: their endpoint can only ever be made from
  // that event, which comes first in the log, so each later status event of such a call skips the
  // endpoint lookup. A fact of the event, not of a transaction: a batch that rolls back and runs
  // again learns the same. Forgotten calls (a restart, an old call) are simply looked up.
  const withoutCallback = new Set<string>();
  return {
    name: WEBHOOK_OUTBOX_NAME,
    version: 1,
    migrate: (db: Kysely<any>) => migrateWebhookTables(db),
    // The outbox is never rebuilt (it would send everything again); reset only runs on first start.
    async reset() {},
    accepts: (event) =>
      (categoryOf(event.streamName) === 'webhook' && isWebhookDomainEventType(event.type)) || isCallRequest(event) || isWebhookSource(event),
    apply: (trx, events) => new OutboxBatch(trx, withoutCallback).apply(events),
  };
}

class OutboxBatch {
  /** Routes per tenant, loaded once a batch; sequences are written back at the end. */
  private readonly routes = new Map<string, EndpointRoute[]>();
  private readonly rows: Record<string, unknown>[] = [];
  /** A call's own status callback, by call id (null: the call has none). */
  private readonly callbacks = new Map<string, EndpointRoute | null>();

  constructor(
    private readonly trx: Transaction<any>,
    private readonly withoutCallback: Set<string>,
  ) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (categoryOf(event.streamName) === 'webhook') {
        // The endpoint table changes: write what this batch counted so far, then read it afresh.
        await this.flush();
        this.routes.clear();
        this.callbacks.clear();
        await applyEndpointEvent(this.trx, event);
        continue;
      }
      if (isCallRequest(event)) {
        if (!(await registerCallback(this.trx, event))) this.rememberWithoutCallback(idOf(event.streamName));
        continue;
      }
      const webhookEvent = webhookEventOf(event);
      if (webhookEvent) await this.enqueue(webhookEvent, event);
    }
    await this.flush();
  }

  private async enqueue(event: WebhookEvent, recorded: RecordedEvent): Promise<void> {
    const routes = [...(await this.routesOf(event.accountId))];
    if (event.callId !== null && CALL_STATUS_EVENT_TYPES.includes(event.type)) {
      const callback = await this.callbackOf(event.callId);
      if (callback) routes.push(callback);
    }
    for (const route of routes) {
      if (!route.enabled || route.deleted || !subscribes(route.events, event.type)) continue;
      const sequence = route.nextSequence++;
      route.dirty = true;
      const id = payloadIdOf(event.sourceEventId, route.endpointId);
      this.rows.push({
        delivery_id: `dlv_${id.slice(4)}`,
        endpoint_id: route.endpointId,
        tenant_id: event.accountId,
        event_id: id,
        event_type: event.type,
        sequence: String(sequence),
        body: payloadBody(event, id, sequence),
        origin: 'log',
        status: 'pending',
        next_attempt_at: recorded.metadata.occurredAt,
        enqueued_at: recorded.metadata.occurredAt,
        event_created_at: event.createdAt,
      });
    }
  }

  private rememberWithoutCallback(callId: string): void {
    this.withoutCallback.add(callId);
    if (this.withoutCallback.size > REMEMBERED_CALLS) this.withoutCallback.delete(this.withoutCallback.values().next().value!);
  }

  private async callbackOf(callId: string): Promise<EndpointRoute | null> {
    if (this.withoutCallback.has(callId)) return null;
    if (this.callbacks.has(callId)) return this.callbacks.get(callId)!;
    const row = await this.trx
      .selectFrom(ENDPOINTS)
      .select(['endpoint_id', 'events', 'enabled', 'deleted', 'next_sequence'])
      .where('endpoint_id', '=', callbackEndpointId(callId))
      .executeTakeFirst();
    const route = row ? routeOf(row) : null;
    this.callbacks.set(callId, route);
    return route;
  }

  private async routesOf(tenantId: string): Promise<EndpointRoute[]> {
    const known = this.routes.get(tenantId);
    if (known) return known;
    const rows = await this.trx
      .selectFrom(ENDPOINTS)
      .select(['endpoint_id', 'events', 'enabled', 'deleted', 'next_sequence'])
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'endpoint')
      .orderBy('created_at')
      .execute();
    const routes = rows.map(routeOf);
    this.routes.set(tenantId, routes);
    return routes;
  }

  private async flush(): Promise<void> {
    for (let start = 0; start < this.rows.length; start += ROWS_PER_INSERT) {
      await this.trx
        .insertInto(DELIVERIES)
        .values(this.rows.slice(start, start + ROWS_PER_INSERT))
        .onConflict((oc) => oc.column('delivery_id').doNothing())
        .execute();
    }
    this.rows.length = 0;
    const callbacks = [...this.callbacks.values()].filter((route): route is EndpointRoute => route !== null);
    for (const routes of [...this.routes.values(), callbacks]) {
      for (const route of routes) {
        if (!route.dirty) continue;
        await this.trx.updateTable(ENDPOINTS).set({ next_sequence: String(route.nextSequence) }).where('endpoint_id', '=', route.endpointId).execute();
        route.dirty = false;
      }
    }
  }
}

function routeOf(row: Record<string, unknown>): EndpointRoute {
  return {
    endpointId: row.endpoint_id as string,
    events: JSON.parse(row.events as string) as string[],
    enabled: Boolean(row.enabled),
    deleted: Boolean(row.deleted),
    nextSequence: Number(row.next_sequence),
    dirty: false,
  };
}

const isCallRequest = (event: Pick<RecordedEvent, 'streamName' | 'type'>) => event.type === 'CallRequested' && categoryOf(event.streamName) === 'call';

/** A call's status callback is an endpoint of its own (kind 'call'), made from its CallRequested. */
export const callbackEndpointId = (callId: string) => `call-${callId}`;

/** True when the call has a status callback (its endpoint row is now in place). */
async function registerCallback(trx: Transaction<any>, recorded: RecordedEvent): Promise<boolean> {
  // Calls from before v4 have no statusCallback field at all.
  const callback = (recorded.data as { statusCallback?: { url: string; sealedSecret: string } | null }).statusCallback ?? null;
  if (!callback) return false;
  const secrets: StoredSecret[] = [{ sealed: callback.sealedSecret, validUntil: null }];
  await trx
    .insertInto(ENDPOINTS)
    .values({
      endpoint_id: callbackEndpointId(idOf(recorded.streamName)),
      tenant_id: recorded.metadata.tenantId,
      kind: 'call',
      url: callback.url,
      events: JSON.stringify(CALL_STATUS_EVENT_TYPES),
      description: null,
      enabled: true,
      secrets: JSON.stringify(secrets),
      last_revision: recorded.streamRevision.toString(),
      created_at: recorded.metadata.occurredAt,
      updated_at: recorded.metadata.occurredAt,
    })
    .onConflict((oc) => oc.column('endpoint_id').doNothing())
    .execute();
  return true;
}

async function applyEndpointEvent(trx: Transaction<any>, recorded: RecordedEvent): Promise<void> {
  const event = recorded as unknown as WebhookDomainEvent & RecordedEvent;
  const endpointId = event.data.endpointId;
  const current = await trx.selectFrom(ENDPOINTS).selectAll().where('endpoint_id', '=', endpointId).executeTakeFirst();
  // Already applied: a replayed batch changes nothing.
  if (current && BigInt(current.last_revision) >= recorded.streamRevision) return;
  const revision = recorded.streamRevision.toString();
  const at = recorded.metadata.occurredAt;
  if (event.type === 'WebhookEndpointCreated') {
    const secrets: StoredSecret[] = [{ sealed: event.data.sealedSecret, validUntil: null }];
    await trx
      .insertInto(ENDPOINTS)
      .values({
        endpoint_id: endpointId,
        tenant_id: recorded.metadata.tenantId,
        kind: 'endpoint',
        url: event.data.url,
        events: JSON.stringify(event.data.events),
        description: event.data.description,
        enabled: event.data.enabled,
        secrets: JSON.stringify(secrets),
        last_revision: revision,
        created_at: event.data.at,
        updated_at: event.data.at,
      })
      .onConflict((oc) => oc.column('endpoint_id').doNothing())
      .execute();
    return;
  }
  if (!current) return;
  const base = { last_revision: revision, updated_at: at };
  switch (event.type) {
    case 'WebhookEndpointUpdated': {
      const { url, events, description, enabled } = event.data.changes;
      const reenabled = enabled === true && !current.enabled;
      await trx
        .updateTable(ENDPOINTS)
        .set({
          ...base,
          ...(url !== undefined ? { url } : {}),
          ...(events !== undefined ? { events: JSON.stringify(events) } : {}),
          ...(description !== undefined ? { description } : {}),
          ...(enabled !== undefined ? { enabled } : {}),
          // Switched back on: the failures that switched it off are forgiven.
          ...(reenabled ? { disabled_reason: null, disabled_message: null, disabled_at: null, consecutive_failures: 0 } : {}),
        })
        .where('endpoint_id', '=', endpointId)
        .execute();
      return;
    }
    case 'WebhookEndpointDeleted':
      await trx.updateTable(ENDPOINTS).set({ ...base, deleted: true, enabled: false }).where('endpoint_id', '=', endpointId).execute();
      return;
    case 'WebhookSecretRotated': {
      const previous = (JSON.parse(current.secrets as string) as StoredSecret[]).find((secret) => secret.validUntil === null);
      const secrets: StoredSecret[] = [{ sealed: event.data.sealedSecret, validUntil: null }];
      if (previous) secrets.push({ sealed: previous.sealed, validUntil: event.data.previousValidUntil });
      await trx.updateTable(ENDPOINTS).set({ ...base, secrets: JSON.stringify(secrets), secret_rotated_at: event.data.at }).where('endpoint_id', '=', endpointId).execute();
      return;
    }
    case 'WebhookEndpointDisabled':
      await trx
        .updateTable(ENDPOINTS)
        .set({ ...base, enabled: false, disabled_reason: event.data.reason, disabled_message: event.data.message, disabled_at: event.data.at })
        .where('endpoint_id', '=', endpointId)
        .execute();
      return;
  }
}
