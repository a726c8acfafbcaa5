import { checkedEvent } from '../shared/checked-event.ts';
import { DomainError, InvalidTransitionError, NotFoundError } from '../shared/errors.ts';
import type {
  CampaignCommand,
  ClaimAttempts,
  CreateCampaign,
  EnrollContacts,
  RecordAttemptCharged,
  RecordAttemptEnded,
  RefuseAttempt,
} from './commands.ts';
import { isComplete, nextContacts, outcomeDisposition, retryAt } from './dialing.ts';
import { campaignEventSchemas, type CampaignEvent, type CampaignEventOf, type CampaignEventType, type SkipReason } from './events.ts';
import { evolveCampaignAll } from './evolve.ts';
import { checkedSettings } from './settings.ts';
import { contactOf, type CampaignState, type ExistingCampaign } from './state.ts';

/**
 * The campaign decider.
 *
 * Where the attempts live, and why: every contact's attempts are events on the campaign's own
 * stream (`campaign-<id>`), not on per-contact streams. A dialer claims an attempt by appending
 * ContactAttemptStarted with the stream's expected revision, and this decider only allows a claim
 * while the attempts in flight are below `concurrent_limit`. Two engine processes that claim at
 * the same moment read the same revision; the store accepts one append and refuses the other,
 * which re-reads, sees the slot taken and decides again. So the limit is a property of the store,
 * not of any process's memory: it holds across any number of processes, restarts and crashes.
 * Per-contact streams could not give that: a limit across many streams needs a shared counter,
 * which is this stream again. The price is one writer at a time per campaign: one append per
 * claim batch and one per call end, a few hundred a second at most, which one stream takes easily.
 * (A campaign too busy for one stream could split its limit over a few "lane" streams, each with
 * its share of the limit; nothing here would change but the stream name.)
 *
 * A crash between the claim and the call: the claim stays in flight, holding its slot. The call id
 * is derived from the attempt (call-ids.ts), so the dialer that restarts simply places the same
 * call again; placement is idempotent by call id (CALL_ALREADY_EXISTS with the same data → no-op).
 *
 * Answers, as for calls: events; `[]` for a command that repeats what is already true (a retried
 * request, a late timer, a redelivered call end); an error for a contradiction. InvalidTransitionError
 * (409) for a lifecycle command the status does not allow; CAMPAIGN_NOT_FOUND (404) before creation.
 *
 * Lifecycle (409 = InvalidTransitionError):
 *
 * | command \ status | Draft                 | Scheduled             | Running         | Paused       | Completed | Cancelled |
 * |------------------|-----------------------|-----------------------|-----------------|--------------|-----------|-----------|
 * | StartCampaign    | Scheduled if the start date is ahead, else Started | Started (early) | [] | 409 (resume) | 409 | 409 |
 * | StartScheduled   | []                    | Started if at ≥ start date, else 409 | [] | [] | []     | []        |
 * | PauseCampaign    | 409                   | 409                   | Paused(user)    | []           | 409       | 409       |
 * | PauseForBalance  | []                    | []                    | Paused(balance) | []           | []        | []        |
 * | ResumeCampaign   | 409                   | 409                   | []              | Resumed      | 409       | 409       |
 * | CancelCampaign   | Cancelled             | Cancelled             | Cancelled       | Cancelled    | 409       | []        |
 * | CompleteCampaign | 409                   | 409                   | Completed if every contact is final, else 409 || [] | 409  |
 *
 * Contacts and attempts:
 * - EnrollContacts: the next chunk → ContactsEnrolled (invalid numbers, duplicates and do-not-call
 *   entries listed as skipped); a chunk already enrolled → []; a gap, a closed enrollment, or a
 *   completed or cancelled campaign → 409.
 * - CloseEnrollment: EnrollmentClosed; already closed, completed or cancelled → [].
 * - ClaimAttempts: running → one AttemptStarted per contact nextContacts picks; any other status → [].
 * - RefuseAttempt: insufficient balance → AttemptReleased (+ Paused(insufficient_balance) if running);
 *   invalid number or do-not-call → ContactSkipped. An attempt no longer in flight → [].
 * - RecordAttemptEnded: AttemptEnded + RetryScheduled or ContactCompleted (never a retry once
 *   cancelled); an attempt already ended → []; a call id that is not the attempt's → ATTEMPT_MISMATCH.
 * - RecordAttemptCharged: AttemptCharged once; the same amount again → []; another → ATTEMPT_ALREADY_CHARGED.
 *
 * After any decision that leaves a running or paused campaign with every contact final (enrollment
 * closed, nothing in flight), CampaignCompleted is appended to the same decision: completion is
 * automatic and needs no process to remember it.
 */
export function decideCampaign(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  if (command.type === 'CreateCampaign') return create(command, state);
  if (state.status === 'Initial') throw campaignNotFound(command.data.campaignId);
  if (state.campaignId !== command.data.campaignId) {
    throw new DomainError('CAMPAIGN_ID_MISMATCH', `Command for campaign ${command.data.campaignId} sent to ${state.campaignId}.`);
  }
  return withCompletion(state, decideExisting(command, state), instantOf(command));
}

function decideExisting(command: Exclude<CampaignCommand, CreateCampaign>, state: ExistingCampaign): CampaignEvent[] {
  const { campaignId } = state;
  switch (command.type) {
    case 'StartCampaign': {
      const { at } = command.data;
      if (state.status === 'Running') return [];
      if (state.status === 'Draft') return startOrSchedule(state, at);
      if (state.status === 'Scheduled') return [emit('CampaignStarted', { campaignId, trigger: 'user', at })];
      throw refuse(state, 'started', state.status === 'Paused' ? 'resume it instead' : undefined);
    }
    case 'StartScheduledCampaign': {
      if (state.status !== 'Scheduled') return [];
      const { at } = command.data;
      if (Date.parse(at) < Date.parse(state.startAt)) {
        throw new InvalidTransitionError(`Campaign ${campaignId} is scheduled for ${state.startAt}; it cannot start itself at ${at}.`, {
          campaign_id: campaignId,
          start_at: state.startAt,
        });
      }
      return [emit('CampaignStarted', { campaignId, trigger: 'schedule', at })];
    }
    case 'PauseCampaign':
      if (state.status === 'Paused') return [];
      if (state.status !== 'Running') throw refuse(state, 'paused');
      return [emit('CampaignPaused', { campaignId, reason: 'user', at: command.data.at })];
    case 'PauseCampaignForBalance':
      return state.status === 'Running' ? [emit('CampaignPaused', { campaignId, reason: 'insufficient_balance', at: command.data.at })] : [];
    case 'ResumeCampaign':
      if (state.status === 'Running') return [];
      if (state.status !== 'Paused') throw refuse(state, 'resumed');
      return [emit('CampaignResumed', { campaignId, at: command.data.at })];
    case 'CancelCampaign':
      if (state.status === 'Cancelled') return [];
      if (state.status === 'Completed') throw refuse(state, 'cancelled');
      return [emit('CampaignCancelled', { campaignId, at: command.data.at })];
    case 'CompleteCampaign':
      if (state.status === 'Completed') return [];
      if ((state.status === 'Running' || state.status === 'Paused') && isComplete(state)) {
        return [emit('CampaignCompleted', { campaignId, at: command.data.at })];
      }
      throw refuse(state, 'completed', 'contacts are still waiting for their final outcome');
    case 'EnrollContacts':
      return enroll(command, state);
    case 'CloseEnrollment':
      if (state.roster.enrollmentClosed || state.status === 'Completed' || state.status === 'Cancelled') return [];
      return [emit('CampaignEnrollmentClosed', { campaignId, chunks: state.roster.nextChunk, at: command.data.at })];
    case 'ClaimAttempts':
      return claim(command, state);
    case 'RefuseAttempt':
      return refuseAttempt(command, state);
    case 'RecordAttemptEnded':
      return recordEnd(command, state);
    case 'RecordAttemptCharged':
      return recordCharge(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown campaign command: ${JSON.stringify(unhandled)}`);
    }
  }
}

function emit<K extends CampaignEventType>(type: K, data: CampaignEventOf<K>['data']): CampaignEventOf<K> {
  return checkedEvent(campaignEventSchemas[type], type, data) as unknown as CampaignEventOf<K>;
}

export function campaignNotFound(campaignId: string): NotFoundError {
  return new NotFoundError('CAMPAIGN_NOT_FOUND', 'No campaign with this id exists in your account.', { campaign_id: campaignId });
}

function refuse(state: ExistingCampaign, verb: string, hint?: string): InvalidTransitionError {
  const status = state.status.toLowerCase();
  return new InvalidTransitionError(`Campaign ${state.campaignId} is ${status}; it cannot be ${verb}${hint ? ` (${hint})` : ''}.`, {
    campaign_id: state.campaignId,
    status,
  });
}

/** A person's start: now, or at the start date when that is still ahead. */
function startOrSchedule(state: ExistingCampaign, at: string): CampaignEvent[] {
  const { campaignId } = state;
  const startAt = state.settings.schedule.startAt;
  if (startAt !== null && Date.parse(startAt) > Date.parse(at)) return [emit('CampaignScheduled', { campaignId, startAt, at })];
  return [emit('CampaignStarted', { campaignId, trigger: 'user', at })];
}

function create(command: CreateCampaign, state: CampaignState): CampaignEvent[] {
  const { campaignId, tenantId, autoStart, at } = command.data;
  const settings = checkedSettings(command.data.settings);
  if (state.status !== 'Initial') {
    const same = state.tenantId === tenantId && JSON.stringify(state.settings) === JSON.stringify(settings);
    if (same) return [];
    throw new DomainError('CAMPAIGN_ALREADY_EXISTS', `Campaign ${campaignId} already exists.`, { campaign_id: campaignId });
  }
  const created = emit('CampaignCreated', { campaignId, tenantId, settings, createdAt: at });
  if (!autoStart) return [created];
  const draft = evolveCampaignAll([created]) as ExistingCampaign;
  return [created, ...startOrSchedule(draft, at)];
}

const E164 = /^\+[1-9]\d{6,14}$/;

function enroll(command: EnrollContacts, state: ExistingCampaign): CampaignEvent[] {
  const { campaignId, chunk, contacts, at } = command.data;
  const { roster } = state;
  if (state.status === 'Completed' || state.status === 'Cancelled' || roster.enrollmentClosed) {
    throw refuse(state, 'given more contacts', roster.enrollmentClosed ? 'its enrollment is closed' : undefined);
  }
  if (chunk < roster.nextChunk) return [];
  if (chunk > roster.nextChunk) {
    throw new InvalidTransitionError(`Campaign ${campaignId} expects contact chunk ${roster.nextChunk}, not ${chunk}.`, {
      campaign_id: campaignId,
      expected_chunk: roster.nextChunk,
      chunk,
    });
  }
  const seenPhones = new Set<string>();
  const seenIds = new Set<string>();
  const enrolled: CampaignEventOf<'CampaignContactsEnrolled'>['data']['contacts'] = [];
  const skipped: CampaignEventOf<'CampaignContactsEnrolled'>['data']['skipped'] = [];
  for (const contact of contacts) {
    const duplicate = roster.indexOf.has(contact.contactId) || seenIds.has(contact.contactId) || roster.phones.has(contact.phone) || seenPhones.has(contact.phone);
    const reason: SkipReason | null = contact.skip ?? (!E164.test(contact.phone) ? 'invalid_number' : duplicate ? 'duplicate' : null);
    seenIds.add(contact.contactId);
    if (reason !== null) {
      skipped.push({ contactId: contact.contactId, phone: contact.phone.slice(0, 64), reason });
      continue;
    }
    seenPhones.add(contact.phone);
    enrolled.push({ contactId: contact.contactId, phone: contact.phone, zones: [...contact.zones], zoneSource: contact.zoneSource });
  }
  return [emit('CampaignContactsEnrolled', { campaignId, chunk, contacts: enrolled, skipped, at })];
}

function claim(command: ClaimAttempts, state: ExistingCampaign): CampaignEvent[] {
  const { campaignId, max, at } = command.data;
  return nextContacts(state, new Date(at), max).map(({ contactId, attempt, callId }) =>
    emit('ContactAttemptStarted', { campaignId, contactId, attempt, callId, at }),
  );
}

type AttemptCommand = RefuseAttempt | RecordAttemptEnded | RecordAttemptCharged;

/**
 * The attempt a command speaks of: 'live' while it is in flight, 'past' once it ended or was
 * released (a redelivery), and an error when the contact or call id does not match.
 */
function attemptOf(command: AttemptCommand, state: ExistingCampaign): 'live' | 'past' {
  const { contactId, attempt, callId } = command.data;
  const contact = contactOf(state, contactId);
  if (!contact) {
    throw new NotFoundError('CAMPAIGN_CONTACT_NOT_FOUND', `Contact ${contactId} is not in campaign ${state.campaignId}.`, {
      campaign_id: state.campaignId,
      contact_id: contactId,
    });
  }
  const record = contact.attempts.find((candidate) => candidate.attempt === attempt);
  if (record && record.callId !== callId) {
    throw new DomainError('ATTEMPT_MISMATCH', `Attempt ${attempt} of contact ${contactId} is call ${record.callId}, not ${callId}.`, {
      contact_id: contactId,
      attempt,
    });
  }
  if (contact.status === 'dialing' && contact.attempt === attempt) return 'live';
  return 'past';
}

function refuseAttempt(command: RefuseAttempt, state: ExistingCampaign): CampaignEvent[] {
  if (attemptOf(command, state) === 'past') return [];
  const { campaignId, contactId, attempt, callId, reason, at } = command.data;
  if (reason !== 'insufficient_balance') return [emit('ContactSkipped', { campaignId, contactId, reason, at })];
  // The contact was never called: its attempt is given back and the campaign stops spending.
  const released = emit('ContactAttemptReleased', { campaignId, contactId, attempt, callId, reason, at });
  return state.status === 'Running'
    ? [released, emit('CampaignPaused', { campaignId, reason: 'insufficient_balance', at })]
    : [released];
}

function recordEnd(command: RecordAttemptEnded, state: ExistingCampaign): CampaignEvent[] {
  if (attemptOf(command, state) === 'past') return [];
  const { campaignId, contactId, attempt, callId, outcome, billableSeconds, endedAt } = command.data;
  const ended = emit('ContactAttemptEnded', { campaignId, contactId, attempt, callId, outcome, billableSeconds, endedAt });
  const settings = state.settings;
  if (state.status !== 'Cancelled' && outcomeDisposition(outcome, attempt, settings) === 'retry') {
    return [ended, emit('ContactRetryScheduled', { campaignId, contactId, nextAttempt: attempt + 1, retryAt: retryAt(endedAt, settings.retryDelayMinutes) })];
  }
  return [ended, emit('ContactCompleted', { campaignId, contactId, outcome, attempts: attempt })];
}

function recordCharge(command: RecordAttemptCharged, state: ExistingCampaign): CampaignEvent[] {
  attemptOf(command, state);
  const { campaignId, contactId, attempt, callId, cost } = command.data;
  const record = contactOf(state, contactId)?.attempts.find((candidate) => candidate.attempt === attempt);
  if (!record) {
    throw new InvalidTransitionError(`Attempt ${attempt} of contact ${contactId} was never placed; it cannot be charged.`, {
      contact_id: contactId,
      attempt,
    });
  }
  if (record.cost === null) return [emit('ContactAttemptCharged', { campaignId, contactId, attempt, callId, cost })];
  if (record.cost.amountMinor === cost.amountMinor && record.cost.currency === cost.currency) return [];
  throw new DomainError('ATTEMPT_ALREADY_CHARGED', `Attempt ${attempt} of contact ${contactId} was already charged a different amount.`, {
    contact_id: contactId,
    attempt,
  });
}

/** Appends CampaignCompleted when the decided events leave a running or paused campaign complete. */
/** Only these can leave the last contact final, or make a complete campaign running again. */
const MAY_COMPLETE: ReadonlySet<CampaignEventType> = new Set(['ContactCompleted', 'ContactSkipped', 'CampaignEnrollmentClosed', 'CampaignStarted', 'CampaignResumed']);

function withCompletion(state: ExistingCampaign, events: CampaignEvent[], at: string | null): CampaignEvent[] {
  if (at === null || !events.some((event) => MAY_COMPLETE.has(event.type))) return events;
  const after = evolveCampaignAll(events, state);
  if ((after.status !== 'Running' && after.status !== 'Paused') || !isComplete(after)) return events;
  return [...events, emit('CampaignCompleted', { campaignId: state.campaignId, at })];
}

/** The instant a command happened at; a charge has none of its own and never completes anything. */
function instantOf(command: Exclude<CampaignCommand, CreateCampaign>): string | null {
  if (command.type === 'RecordAttemptCharged') return null;
  return command.type === 'RecordAttemptEnded' ? command.data.endedAt : command.data.at;
}
