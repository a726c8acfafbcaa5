import type { RecordedEvent } from '../shared/messages.ts';
import { categoryOf, idOf } from '../shared/streams.ts';
import { uuidV5 } from '../shared/uuid-v5.ts';
import type { WebhookEventType } from './event-types.ts';

/**
 * Which facts in the log integrators hear about, and what they are told. Pure: the outbox
 * reactor and a replay both call it, so a replayed event is the one first sent.
 */

export type WebhookEvent = {
  readonly type: WebhookEventType;
  readonly accountId: string;
  /** When the fact happened: the source event's occurredAt. */
  readonly createdAt: string;
  readonly data: Record<string, unknown>;
  /** The call the event is about, for a call's own `status_callback_url`; null otherwise. */
  readonly callId: string | null;
  readonly sourceEventId: string;
};

const BY_CATEGORY: Readonly<Record<string, Readonly<Record<string, WebhookEventType>>>> = {
  call: {
    CallRinging: 'call.ringing',
    CallAnswered: 'call.started',
    CallCompleted: 'call.completed',
    CallFailed: 'call.failed',
    CallLost: 'call.failed',
    // Stopped by the dialer's do-not-call check before the PBX saw it: a failure the integrator must hear of.
    CallBlocked: 'call.failed',
    RecordingStored: 'recording.ready',
  },
  campaign: { CampaignStarted: 'campaign.started', CampaignPaused: 'campaign.paused', CampaignCompleted: 'campaign.completed' },
  contactbook: { ContactUpdated: 'contact.updated' },
  wallet: { LowBalanceReached: 'credits.low' },
  dnc: { DncEntryAdded: 'dnc.added' },
};

/** Cheap test the outbox runs on every event in the log. */
export function isWebhookSource(event: Pick<RecordedEvent, 'streamName' | 'type'>): boolean {
  return BY_CATEGORY[categoryOf(event.streamName)]?.[event.type] !== undefined;
}

export function webhookEventOf(event: RecordedEvent): WebhookEvent | null {
  const category = categoryOf(event.streamName);
  const type = BY_CATEGORY[category]?.[event.type];
  if (!type) return null;
  // The operator's do-not-call list belongs to no tenant: nobody's endpoint hears of it.
  if (category === 'dnc' && event.streamName === 'dnc-operator') return null;
  const accountId = category === 'wallet' ? idOf(event.streamName) : event.metadata.tenantId;
  const raw = event.data as Record<string, unknown>;
  const callId = category === 'call' ? idOf(event.streamName) : null;
  const data = snakeKeys(raw);
  if (event.type === 'CallLost') data.outcome = 'LOST';
  if (event.type === 'CallBlocked') data.outcome = 'BLOCKED';
  if (category === 'call') data.call_id = callId;
  return { type, accountId, createdAt: event.metadata.occurredAt, data, callId, sourceEventId: event.metadata.eventId };
}

/** Namespace of payload ids: uuidV5(`<source event id>/<endpoint id>`). */
const PAYLOAD_NAMESPACE = '3b0f5f0e-6a57-4f5e-9a57-2c1f1d0a9e41';

/** The same source event to the same endpoint always has the same id: a redelivery or a replay carries it. */
export function payloadIdOf(sourceEventId: string, endpointId: string): string {
  return `evt_${uuidV5(`${sourceEventId}/${endpointId}`, PAYLOAD_NAMESPACE).replace(/-/g, '')}`;
}

/** The body an endpoint receives, as exact text: it is stored once and every attempt sends those bytes. */
export function payloadBody(event: WebhookEvent, id: string, sequence: number): string {
  return JSON.stringify({ id, type: event.type, created_at: event.createdAt, account_id: event.accountId, sequence, data: event.data });
}

function snakeKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const snake = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    out[snake] = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? snakeKeys(inner as Record<string, unknown>) : inner;
  }
  return out;
}
