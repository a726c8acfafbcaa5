import { parsedEvent } from '../shared/checked-event.ts';
import { DomainError, NotFoundError } from '../shared/errors.ts';
import { webhookEventSchemas, type WebhookDomainEvent, type WebhookDomainEventOf, type WebhookDomainEventType } from './events.ts';

/** The endpoint aggregate: what decisions about one `webhook-<id>` stream need. */
export type WebhookEndpointState = {
  readonly exists: boolean;
  readonly deleted: boolean;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
};

export const initialWebhookEndpointState = (): WebhookEndpointState => ({ exists: false, deleted: false, enabled: false, disabledReason: null });

export type WebhookEndpointChanges = { url?: string; events?: string[]; description?: string | null; enabled?: boolean };

export type WebhookEndpointCommand =
  | { type: 'CreateWebhookEndpoint'; data: { endpointId: string; url: string; events: string[]; description: string | null; enabled: boolean; sealedSecret: string; at: string } }
  | { type: 'UpdateWebhookEndpoint'; data: { endpointId: string; changes: WebhookEndpointChanges; at: string } }
  | { type: 'DeleteWebhookEndpoint'; data: { endpointId: string; at: string } }
  | { type: 'RotateWebhookSecret'; data: { endpointId: string; sealedSecret: string; previousValidUntil: string; at: string } }
  | { type: 'DisableWebhookEndpoint'; data: { endpointId: string; reason: 'gone' | 'consecutive_failures'; message: string; consecutiveFailures: number; at: string } };

export function webhookNotFound(endpointId: string): NotFoundError {
  return new NotFoundError('WEBHOOK_NOT_FOUND', 'No webhook endpoint with this id exists in your account.', { webhook_id: endpointId });
}

function emit<K extends WebhookDomainEventType>(type: K, data: WebhookDomainEventOf<K>['data']): WebhookDomainEventOf<K> {
  return parsedEvent(webhookEventSchemas[type], type, data) as WebhookDomainEventOf<K>;
}

/**
 * | command                | refused when                       | otherwise                                     |
 * |------------------------|------------------------------------|-----------------------------------------------|
 * | CreateWebhookEndpoint  | the id exists → 409                | WebhookEndpointCreated                        |
 * | UpdateWebhookEndpoint  | missing or deleted → 404           | WebhookEndpointUpdated; [] when nothing changes|
 * | DeleteWebhookEndpoint  | missing or deleted → 404           | WebhookEndpointDeleted                        |
 * | RotateWebhookSecret    | missing or deleted → 404           | WebhookSecretRotated                          |
 * | DisableWebhookEndpoint | never (a delivery's verdict)       | WebhookEndpointDisabled; [] when already off  |
 */
export function decideWebhookEndpoint(command: WebhookEndpointCommand, state: WebhookEndpointState): WebhookDomainEvent[] {
  switch (command.type) {
    case 'CreateWebhookEndpoint':
      if (state.exists) throw new DomainError('WEBHOOK_ALREADY_EXISTS', 'A webhook endpoint with this id exists.', { webhook_id: command.data.endpointId });
      return [emit('WebhookEndpointCreated', command.data as WebhookDomainEventOf<'WebhookEndpointCreated'>['data'])];
    case 'UpdateWebhookEndpoint': {
      if (!state.exists || state.deleted) throw webhookNotFound(command.data.endpointId);
      if (Object.keys(command.data.changes).length === 0) return [];
      return [emit('WebhookEndpointUpdated', command.data as WebhookDomainEventOf<'WebhookEndpointUpdated'>['data'])];
    }
    case 'DeleteWebhookEndpoint':
      if (!state.exists || state.deleted) throw webhookNotFound(command.data.endpointId);
      return [emit('WebhookEndpointDeleted', command.data)];
    case 'RotateWebhookSecret':
      if (!state.exists || state.deleted) throw webhookNotFound(command.data.endpointId);
      return [emit('WebhookSecretRotated', command.data)];
    case 'DisableWebhookEndpoint':
      if (!state.exists || state.deleted || !state.enabled) return [];
      return [emit('WebhookEndpointDisabled', command.data)];
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown webhook command: ${JSON.stringify(unhandled)}`);
    }
  }
}

export function evolveWebhookEndpoint(state: WebhookEndpointState, event: WebhookDomainEvent): WebhookEndpointState {
  switch (event.type) {
    case 'WebhookEndpointCreated':
      return { exists: true, deleted: false, enabled: event.data.enabled, disabledReason: null };
    case 'WebhookEndpointUpdated':
      if (event.data.changes.enabled === undefined) return state;
      return { ...state, enabled: event.data.changes.enabled, disabledReason: event.data.changes.enabled ? null : state.disabledReason };
    case 'WebhookEndpointDeleted':
      return { ...state, deleted: true, enabled: false };
    case 'WebhookEndpointDisabled':
      return { ...state, enabled: false, disabledReason: event.data.reason };
    case 'WebhookSecretRotated':
      return state;
  }
}

export const webhookEndpointDecider = {
  initialState: initialWebhookEndpointState,
  evolve: evolveWebhookEndpoint,
  decide: decideWebhookEndpoint,
};
