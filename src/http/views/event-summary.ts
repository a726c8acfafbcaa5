import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf, idOf } from '../../domain/shared/streams.ts';
import { encodePosition } from '../consistency/position-token.ts';

/**
 * What GET /api/v1/events/stream says about one event: enough for the console to know what to
 * refetch (the subject) and to wait for it (`position`, usable as Calltrail-Position), never the
 * event's data. Only the kinds below go out at all: keys, users, operator keys, webhook secrets
 * and account settings never reach a stream, even summarised.
 */
export type EventSummary = {
  position: string;
  type: string;
  at: string;
  subject: { kind: string; id: string };
  campaign_id?: string;
  call_id?: string;
  contact_id?: string;
  status?: string;
};

type Summariser = (event: RecordedEvent) => Partial<EventSummary> & { subject: EventSummary['subject'] };

const text = (event: RecordedEvent, field: string): string | undefined => {
  const value = event.data[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const call =
  (status?: string): Summariser =>
  (event) => ({ subject: { kind: 'call', id: idOf(event.streamName) }, ...(status ? { status } : {}) });

const CALL: Record<string, Summariser> = {
  CallRequested: (event) => ({ ...call('REQUESTED')(event), ...optional('campaign_id', text(event, 'campaignId')) }),
  CallDialing: call('DIALING'),
  CallRinging: call('RINGING'),
  CallAnswered: call('ANSWERED'),
  PlaybackStarted: call(),
  PlaybackFinished: call(),
  DtmfReceived: call(),
  OptOutRequested: call(),
  RecordingStored: call(),
  HangupRequested: call(),
  CallCompleted: call('COMPLETED'),
  // A failed call's status is its outcome (BUSY, NO_ANSWER…), as in the calls read model.
  CallFailed: (event) => call(text(event, 'outcome') ?? 'FAILED')(event),
  CallLost: call('LOST'),
  CallBlocked: call('BLOCKED'),
};

// A call waiting for its calling hours is shown at GET /calls/:id under the same id.
const SCHEDULED_CALL: Record<string, Summariser> = {
  CallScheduled: call('SCHEDULED'),
  ScheduledCallReleased: call(),
  ScheduledCallCancelled: call('CANCELLED'),
  ScheduledCallRefused: call(),
};

const campaign =
  (status?: string): Summariser =>
  (event) => {
    const id = idOf(event.streamName);
    return {
      subject: { kind: 'campaign', id },
      campaign_id: id,
      ...optional('contact_id', text(event, 'contactId')),
      ...optional('call_id', text(event, 'callId')),
      ...(status ? { status } : {}),
    };
  };

const CAMPAIGN: Record<string, Summariser> = {
  CampaignCreated: campaign('draft'),
  CampaignScheduled: campaign('scheduled'),
  CampaignStarted: campaign('running'),
  CampaignPaused: campaign('paused'),
  CampaignResumed: campaign('running'),
  CampaignCancelled: campaign('cancelled'),
  CampaignCompleted: campaign('completed'),
  CampaignContactsEnrolled: campaign(),
  CampaignEnrollmentClosed: campaign(),
  ContactAttemptStarted: campaign(),
  ContactAttemptReleased: campaign(),
  ContactAttemptEnded: campaign(),
  ContactAttemptCharged: campaign(),
  ContactRetryScheduled: campaign(),
  ContactCompleted: campaign(),
  ContactSkipped: campaign(),
};

/** Wallet events: the subject is the balance; a call's hold or charge also names the call. */
const balance: Summariser = (event) => ({ subject: { kind: 'balance', id: idOf(event.streamName) }, ...optional('call_id', text(event, 'callId')) });
const BALANCE: Record<string, Summariser> = Object.fromEntries(
  ['FundsDeposited', 'FundsReserved', 'ReservationReleased', 'CallCharged', 'CreditAdjusted', 'LowBalanceReached'].map((type) => [type, balance]),
);

const audio =
  (status: string): Summariser =>
  (event) => ({ subject: { kind: 'audio', id: idOf(event.streamName) }, status });
const AUDIO: Record<string, Summariser> = {
  AudioUploaded: audio('processing'),
  AudioProcessed: audio('ready'),
  AudioRejected: audio('rejected'),
  AudioDeleted: audio('deleted'),
};

const contact: Summariser = (event) => ({ subject: { kind: 'contact', id: text(event, 'contactId') ?? '' } });
const list: Summariser = (event) => ({ subject: { kind: 'contact_list', id: text(event, 'listId') ?? '' } });
const CONTACTS: Record<string, Summariser> = {
  ContactCreated: contact,
  ContactUpdated: contact,
  ContactDeleted: contact,
  ContactsImported: (event) => ({ subject: { kind: 'contact_import', id: text(event, 'importId') ?? '' } }),
  ContactListCreated: list,
  ContactsAddedToList: list,
  ContactRemovedFromList: list,
};

/** The tenant's do-not-call list as a whole: which number changed is for the list page to fetch. */
const dnc: Summariser = (event) => ({ subject: { kind: 'dnc', id: event.metadata.tenantId } });
const DNC: Record<string, Summariser> = { DncEntryAdded: dnc, DncEntriesImported: dnc, DncEntryRemoved: dnc };

// WebhookEndpointCreated and WebhookSecretRotated carry sealed signing secrets: left out.
const webhook: Summariser = (event) => ({ subject: { kind: 'webhook', id: idOf(event.streamName) } });
const WEBHOOKS: Record<string, Summariser> = { WebhookEndpointUpdated: webhook, WebhookEndpointDisabled: webhook, WebhookEndpointDeleted: webhook };

/** By stream category, then event type: an event type only counts on the streams it belongs to. */
const SUMMARISERS: Readonly<Record<string, Readonly<Record<string, Summariser>>>> = {
  call: CALL,
  scheduledcall: SCHEDULED_CALL,
  campaign: CAMPAIGN,
  wallet: BALANCE,
  audio: AUDIO,
  contactbook: CONTACTS,
  dnc: DNC,
  webhook: WEBHOOKS,
};

/** Every event type a stream may carry. */
export const STREAMED_EVENT_TYPES: readonly string[] = Object.values(SUMMARISERS).flatMap((types) => Object.keys(types));

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** The summary of an event a stream may carry; null for every other event. */
export function eventSummary(event: RecordedEvent): EventSummary | null {
  const category = categoryOf(event.streamName);
  const types = Object.hasOwn(SUMMARISERS, category) ? SUMMARISERS[category]! : {};
  if (!Object.hasOwn(types, event.type)) return null;
  const parts = types[event.type]!(event);
  return { position: encodePosition(event.position), type: event.type, at: event.metadata.occurredAt, ...parts };
}
