import type { EventStore } from '../../adapters/eventstore/port.ts';
import { generateWebhookSecret, type SecretBox } from '../../adapters/webhooks/secret-box.ts';
import type { WebhookUrlGuard } from '../../adapters/webhooks/url-guard.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { GlobalPosition, RecordedEvent } from '../../domain/shared/messages.ts';
import { webhookStream } from '../../domain/shared/streams.ts';
import {
  ALL_EVENTS,
  CURRENT_WEBHOOK_SCHEMA_VERSION,
  isWebhookEventType,
  WEBHOOK_EVENT_TYPES,
  webhookEndpointDecider,
  webhookEventSchemas,
  webhookNotFound,
  type WebhookDomainEvent,
  type WebhookEndpointChanges,
  type WebhookEndpointCommand,
  type WebhookEndpointState,
} from '../../domain/webhook/index.ts';
import { CommandHandler } from '../command-handler.ts';
import type { CommandContext } from '../decider.ts';
import { zodCodec } from '../zod-codec.ts';

export type WebhookCaller = { readonly tenantId: string; readonly actor: string; readonly correlationId: string; readonly requestId: string };

export type NewWebhookEndpoint = { url: string; events: string[]; description: string | null; enabled: boolean };

export const webhookCodec = zodCodec<WebhookDomainEvent>(webhookEventSchemas, CURRENT_WEBHOOK_SCHEMA_VERSION);

/** Both secrets sign for this long after a rotation, unless the rotation names its own. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;

/**
 * Endpoint use cases, each one command to the endpoint's stream. The URL is judged (scheme,
 * SSRF) before anything is written; the secret is sealed before it reaches an event, and its
 * plaintext is only ever in the answer.
 */
export class WebhookService {
  private readonly handler: CommandHandler<WebhookEndpointState, WebhookEndpointCommand, WebhookDomainEvent>;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly guard: WebhookUrlGuard,
    private readonly box: SecretBox,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    this.handler = new CommandHandler(store, webhookEndpointDecider, webhookCodec);
  }

  async create(caller: WebhookCaller, input: NewWebhookEndpoint): Promise<{ endpointId: string; secret: string; position: GlobalPosition | null }> {
    const events = checkedEventTypes(input.events);
    const url = (await this.guard.check(input.url)).toString();
    const endpointId = this.newId();
    const secret = generateWebhookSecret();
    const sealedSecret = this.box.seal(secret);
    const result = await this.run(caller, endpointId, (at) => ({
      type: 'CreateWebhookEndpoint',
      data: { endpointId, url, events, description: input.description, enabled: input.enabled, sealedSecret, at },
    }));
    return { endpointId, secret, position: result.position };
  }

  async update(caller: WebhookCaller, endpointId: string, changes: WebhookEndpointChanges): Promise<{ position: GlobalPosition | null }> {
    await this.owned(caller, endpointId);
    const checked: WebhookEndpointChanges = { ...changes };
    if (changes.events !== undefined) checked.events = checkedEventTypes(changes.events);
    if (changes.url !== undefined) checked.url = (await this.guard.check(changes.url)).toString();
    const result = await this.run(caller, endpointId, (at) => ({ type: 'UpdateWebhookEndpoint', data: { endpointId, changes: checked, at } }));
    return { position: result.position };
  }

  async delete(caller: WebhookCaller, endpointId: string): Promise<{ position: GlobalPosition | null }> {
    await this.owned(caller, endpointId);
    const result = await this.run(caller, endpointId, (at) => ({ type: 'DeleteWebhookEndpoint', data: { endpointId, at } }));
    return { position: result.position };
  }

  async rotateSecret(
    caller: WebhookCaller,
    endpointId: string,
    graceSeconds: number = DEFAULT_ROTATION_GRACE_SECONDS,
  ): Promise<{ secret: string; previousValidUntil: string; position: GlobalPosition | null }> {
    await this.owned(caller, endpointId);
    const secret = generateWebhookSecret();
    const sealedSecret = this.box.seal(secret);
    const previousValidUntil = new Date(this.clock.now().getTime() + graceSeconds * 1000).toISOString();
    const result = await this.run(caller, endpointId, (at) => ({ type: 'RotateWebhookSecret', data: { endpointId, sealedSecret, previousValidUntil, at } }));
    return { secret, previousValidUntil, position: result.position };
  }

  /** Delivery's verdict (410, or too many failures): written as the system, in the endpoint's tenant. */
  async disable(request: { endpointId: string; tenantId: string; reason: 'gone' | 'consecutive_failures'; message: string; consecutiveFailures: number }): Promise<void> {
    const caller: WebhookCaller = { tenantId: request.tenantId, actor: 'system:webhooks', correlationId: crypto.randomUUID(), requestId: `webhook-delivery:${request.endpointId}` };
    await this.run(caller, request.endpointId, (at) => ({
      type: 'DisableWebhookEndpoint',
      data: { endpointId: request.endpointId, reason: request.reason, message: request.message, consecutiveFailures: request.consecutiveFailures, at },
    }));
  }

  /** Another tenant's endpoint is answered exactly like one that does not exist. */
  private async owned(caller: WebhookCaller, endpointId: string): Promise<readonly RecordedEvent[]> {
    const { state, history } = await this.handler.load(webhookStream(endpointId));
    if (!state.exists || state.deleted || history[0]?.metadata.tenantId !== caller.tenantId) throw webhookNotFound(endpointId);
    return history;
  }

  private run(caller: WebhookCaller, endpointId: string, command: (at: string) => WebhookEndpointCommand) {
    const now = this.clock.now();
    const context: CommandContext = { now, tenantId: caller.tenantId, actor: caller.actor, correlationId: caller.correlationId, causationId: caller.requestId };
    return this.handler.handle(webhookStream(endpointId), command(now.toISOString()), context);
  }
}

/** `["*"]`, or known types without repeats; anything else is 422 WEBHOOK_EVENT_TYPE_UNKNOWN. */
export function checkedEventTypes(events: readonly string[]): string[] {
  const unknown = events.filter((type) => type !== ALL_EVENTS && !isWebhookEventType(type));
  if (unknown.length > 0) {
    throw new DomainError('WEBHOOK_EVENT_TYPE_UNKNOWN', `Unknown webhook event type: ${unknown.join(', ')}.`, { unknown, known: [...WEBHOOK_EVENT_TYPES, ALL_EVENTS] });
  }
  if (events.length === 0) throw new DomainError('VALIDATION_ERROR', 'Subscribe to at least one event type, or ["*"].', { field: 'events' });
  return events.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(events)];
}
