import type { Kysely } from 'kysely';
import type { LookupFunction } from 'node:net';
import { z } from 'zod';
import type { EventStore } from '../adapters/eventstore/port.ts';
import { HttpWebhookSender, type WebhookSender } from '../adapters/webhooks/http-sender.ts';
import { generateWebhookSecret, SecretBox } from '../adapters/webhooks/secret-box.ts';
import { systemResolver, WebhookUrlGuard, type Resolver } from '../adapters/webhooks/url-guard.ts';
import { WebhookService, type WebhookCaller } from '../commands/webhooks/webhook-service.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { NotFoundError, ValidationError } from '../domain/shared/errors.ts';
import { comparePositions, START_POSITION, type GlobalPosition } from '../domain/shared/messages.ts';
import { payloadBody, payloadIdOf, subscribes, webhookEventOf, webhookNotFound, type WebhookEvent } from '../domain/webhook/index.ts';
import type { RequestContext } from '../http/dependencies.ts';
import type { WebhooksDependencies } from '../http/webhooks-dependencies.ts';
import { ProjectionRunner } from '../projections/runner.ts';
import { WebhookDeliveryWorker, type DeliverySettings } from '../reactors/webhooks/delivery-worker.ts';
import { webhookOutbox } from '../reactors/webhooks/outbox.ts';
import { WebhookQueries, type QueuedDelivery, type WebhookEndpointRecord } from '../reactors/webhooks/queries.ts';
import { ConfigError, type EngineConfig } from './config.ts';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const schema = z.object({
  WEBHOOK_SECRET_KEY: z.string().optional(),
  WEBHOOK_ALLOW_PRIVATE: flag.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_RETRY_WINDOW_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(24 * 3600),
  WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(1).max(3_600_000).default(10_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(1).max(24 * 3_600_000).default(3_600_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(10_000).default(50),
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  WEBHOOK_MAX_PARALLEL_ENDPOINTS: z.coerce.number().int().min(1).max(1000).default(32),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(5).max(60_000).default(500),
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  WEBHOOK_MAX_RESPONSE_BYTES: z.coerce.number().int().min(0).max(1024 * 1024).default(4096),
  WEBHOOK_ROTATION_GRACE_SECONDS: z.coerce.number().int().min(0).max(30 * 24 * 3600).default(24 * 3600),
});

export type WebhookSettings = {
  /** Null: no WEBHOOK_SECRET_KEY, secrets are sealed with a key that dies with the process. */
  readonly secretKey: string | null;
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly rotationGraceSeconds: number;
  readonly delivery: DeliverySettings;
};

export function loadWebhookSettings(config: Pick<EngineConfig, 'env'>): WebhookSettings {
  const parsed = schema.safeParse(config.env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const c = parsed.data;
  if (c.WEBHOOK_SECRET_KEY) SecretBox.fromText(c.WEBHOOK_SECRET_KEY);
  return {
    secretKey: c.WEBHOOK_SECRET_KEY || null,
    allowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: c.WEBHOOK_TIMEOUT_MS,
    maxResponseBytes: c.WEBHOOK_MAX_RESPONSE_BYTES,
    rotationGraceSeconds: c.WEBHOOK_ROTATION_GRACE_SECONDS,
    delivery: {
      pollMs: c.WEBHOOK_POLL_MS,
      perEndpointConcurrency: c.WEBHOOK_ENDPOINT_CONCURRENCY,
      maxParallelEndpoints: c.WEBHOOK_MAX_PARALLEL_ENDPOINTS,
      retryWindowMs: c.WEBHOOK_RETRY_WINDOW_SECONDS * 1000,
      backoffInitialMs: c.WEBHOOK_RETRY_INITIAL_MS,
      backoffMaxMs: c.WEBHOOK_RETRY_MAX_MS,
      disableAfterFailures: c.WEBHOOK_DISABLE_AFTER_FAILURES,
      // Longer than one attempt can take, so a live lane never loses its lease mid-send.
      leaseMs: c.WEBHOOK_LEASE_MS ?? c.WEBHOOK_TIMEOUT_MS * 2 + 5_000,
    },
  };
}

/** How the feature reaches the network; tests resolve names their own way. */
export type WebhookNetwork = { readonly resolver?: Resolver; readonly lookup?: LookupFunction; readonly sender?: WebhookSender };

export type WebhooksFeatureOptions = {
  readonly config: EngineConfig;
  readonly store: EventStore;
  readonly db: Kysely<any>;
  readonly clock: Clock;
  readonly network?: WebhookNetwork;
  readonly logger?: { error(message: string, fields?: object): void };
};

const LOG_PAGE = 1000;

/**
 * Webhooks, wired: endpoint commands, the outbox (a runner of its own on the log, outside the
 * read-model registry), the delivery worker and the HTTP side. Replay reads the log itself.
 */
export class WebhooksFeature {
  readonly settings: WebhookSettings;
  readonly service: WebhookService;
  readonly queries: WebhookQueries;
  readonly outbox: ProjectionRunner;
  readonly worker: WebhookDeliveryWorker;
  private readonly sender: WebhookSender;
  private readonly box: SecretBox;
  private readonly guard: WebhookUrlGuard;

  constructor(private readonly options: WebhooksFeatureOptions) {
    this.settings = loadWebhookSettings(options.config);
    const box = (this.box = this.settings.secretKey ? SecretBox.fromText(this.settings.secretKey) : SecretBox.fromText(SecretBox.generateKeyText()));
    const guard = (this.guard = new WebhookUrlGuard(this.settings.allowPrivate, options.network?.resolver ?? systemResolver));
    this.service = new WebhookService(options.store, options.clock, guard, box);
    this.queries = new WebhookQueries(options.db);
    this.sender =
      options.network?.sender ??
      new HttpWebhookSender({
        allowPrivate: this.settings.allowPrivate,
        timeoutMs: this.settings.timeoutMs,
        maxResponseBytes: this.settings.maxResponseBytes,
        ...(options.network?.lookup ? { lookup: options.network.lookup } : {}),
      });
    this.worker = new WebhookDeliveryWorker(options.db, {
      settings: this.settings.delivery,
      sender: this.sender,
      secrets: box,
      clock: options.clock,
      disable: (request) => this.service.disable(request),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.outbox = new ProjectionRunner(options.db, options.store, webhookOutbox(), {
      onBatch: () => this.worker.nudge(),
      onError: (error) => options.logger?.error('webhook outbox failed', { error: String(error) }),
    });
  }

  /** A call's status callback: the URL checked, a secret made for it, sealed for the call's CallRequested. */
  async statusCallback(url: string): Promise<{ statusCallback: { url: string; sealedSecret: string }; secret: string }> {
    const checked = (await this.guard.check(url)).toString();
    const secret = generateWebhookSecret();
    return { statusCallback: { url: checked, sealedSecret: this.box.seal(secret) }, secret };
  }

  async start(): Promise<void> {
    await this.outbox.start();
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.outbox.stop();
    this.sender.close();
  }

  /**
   * Every event of [from, to] this endpoint subscribes to, read from the log in its order, queued
   * again with its original id. An event first sent to the endpoint is sent with the very body it
   * had (same sequence); one from before the endpoint subscribed is built the same way and numbered.
   */
  async replay(tenantId: string, endpoint: WebhookEndpointRecord, from: string, to: string): Promise<{ eventIds: string[]; deliveryIds: string[] }> {
    const until = this.outbox.position ?? START_POSITION;
    const fromMs = Date.parse(from);
    const toMs = Date.parse(to);
    const found: WebhookEvent[] = [];
    let after: GlobalPosition = START_POSITION;
    scan: for (;;) {
      const page = await this.options.store.readAll({ after, maxCount: LOG_PAGE });
      for (const recorded of page) {
        // Later events are the outbox's to send; replaying them too would send them twice.
        if (comparePositions(recorded.position, until) > 0) break scan;
        const occurred = Date.parse(recorded.metadata.occurredAt);
        if (occurred < fromMs || occurred > toMs) continue;
        const event = webhookEventOf(recorded);
        if (event && event.accountId === tenantId && subscribes(endpoint.events, event.type)) found.push(event);
      }
      if (page.length < LOG_PAGE) break;
      after = page.at(-1)!.position;
    }
    const ids = found.map((event) => payloadIdOf(event.sourceEventId, endpoint.endpointId));
    const originals = await this.queries.firstDeliveries(endpoint.endpointId, ids);
    const unsent = found.filter((_, index) => !originals.has(ids[index]!)).length;
    let next = unsent > 0 ? await this.queries.takeSequences(endpoint.endpointId, unsent) : 0;
    const items: QueuedDelivery[] = found.map((event, index) => {
      const eventId = ids[index]!;
      const original = originals.get(eventId);
      const sequence = original?.sequence ?? next++;
      return { eventId, eventType: event.type, sequence, body: original?.body ?? payloadBody(event, eventId, sequence), eventCreatedAt: event.createdAt };
    });
    const deliveryIds = await this.queries.enqueue(tenantId, endpoint.endpointId, 'replay', items, this.options.clock.now());
    this.worker.nudge();
    return { eventIds: ids, deliveryIds };
  }

  http(): { webhooks: WebhooksDependencies } {
    const { service, queries } = this;
    const caller = (ctx: RequestContext): WebhookCaller => ({
      tenantId: ctx.principal.tenantId,
      actor: ctx.principal.actor,
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
    });
    const settled = async (position: GlobalPosition | null) => {
      if (position) await this.outbox.waitFor(position);
    };
    const endpointAfter = async (tenantId: string, endpointId: string, position: GlobalPosition | null) => {
      await settled(position);
      const endpoint = await queries.endpoint(tenantId, endpointId);
      if (!endpoint) throw webhookNotFound(endpointId);
      return endpoint;
    };
    const owned = async (tenantId: string, endpointId: string) => {
      const endpoint = await queries.endpoint(tenantId, endpointId);
      if (!endpoint) throw webhookNotFound(endpointId);
      return endpoint;
    };
    return {
      webhooks: {
        create: async (ctx, input) => {
          const created = await service.create(caller(ctx), input);
          return { endpoint: await endpointAfter(ctx.principal.tenantId, created.endpointId, created.position), secret: created.secret };
        },
        list: (tenantId) => queries.endpoints(tenantId),
        get: (tenantId, endpointId) => queries.endpoint(tenantId, endpointId),
        update: async (ctx, endpointId, patch) => {
          const { position } = await service.update(caller(ctx), endpointId, patch);
          return endpointAfter(ctx.principal.tenantId, endpointId, position);
        },
        remove: async (ctx, endpointId) => {
          await settled((await service.delete(caller(ctx), endpointId)).position);
        },
        rotateSecret: async (ctx, endpointId) => {
          const rotated = await service.rotateSecret(caller(ctx), endpointId, this.settings.rotationGraceSeconds);
          const endpoint = await endpointAfter(ctx.principal.tenantId, endpointId, rotated.position);
          return { endpoint, secret: rotated.secret, previousValidUntil: rotated.previousValidUntil };
        },
        deliveries: async (tenantId, endpointId, query) => {
          await owned(tenantId, endpointId);
          return queries.deliveries(tenantId, endpointId, query);
        },
        redeliver: async (ctx, endpointId, deliveryId) => {
          const tenantId = ctx.principal.tenantId;
          await owned(tenantId, endpointId);
          const original = await queries.delivery(tenantId, endpointId, deliveryId);
          if (!original) throw new NotFoundError('WEBHOOK_DELIVERY_NOT_FOUND', 'No delivery with this id exists for this webhook endpoint.', { delivery_id: deliveryId });
          const stored = (await queries.body(deliveryId))!;
          const [id] = await queries.enqueue(tenantId, endpointId, 'redeliver', [stored], this.options.clock.now());
          this.worker.nudge();
          return (await queries.delivery(tenantId, endpointId, id!))!;
        },
        replay: async (ctx, endpointId, range) => {
          const tenantId = ctx.principal.tenantId;
          const endpoint = await owned(tenantId, endpointId);
          if (Date.parse(range.from) > Date.parse(range.to)) throw new ValidationError('`from` must not be after `to`.', { from: range.from, to: range.to });
          const { eventIds, deliveryIds } = await this.replay(tenantId, endpoint, range.from, range.to);
          return { count: eventIds.length, eventIds, deliveryIds };
        },
      },
    };
  }
}
