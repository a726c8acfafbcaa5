import { isCampaignEventType, type CampaignEvent, type CampaignEventOf } from './events.ts';
import {
  emptyRoster,
  initialCampaignState,
  isFinal,
  type AttemptRecord,
  type CampaignState,
  type ContactProgress,
  type ExistingCampaign,
  type Roster,
} from './state.ts';

/**
 * Folds one event into the campaign. Total and forgiving, as for calls: unknown event types and
 * events that do not fit the current state leave it unchanged, so a stream always loads; `decide`
 * is where transitions are policed.
 */
export function evolveCampaign(state: CampaignState, event: { readonly type: string; readonly data: unknown }): CampaignState {
  if (!isCampaignEventType(event.type)) return state;
  const known = event as CampaignEvent;
  if (known.type === 'CampaignCreated') {
    if (state.status !== 'Initial') return state;
    const { campaignId, tenantId, settings, createdAt } = known.data;
    return { status: 'Draft', campaignId, tenantId, settings, createdAt, roster: emptyRoster() };
  }
  if (state.status === 'Initial') return state;
  switch (known.type) {
    case 'CampaignScheduled':
      return state.status === 'Draft' ? { ...state, status: 'Scheduled', startAt: known.data.startAt } : state;
    case 'CampaignStarted':
      return state.status === 'Draft' || state.status === 'Scheduled' ? running(state, known.data.at) : state;
    case 'CampaignPaused':
      return state.status === 'Running'
        ? { ...state, status: 'Paused', reason: known.data.reason, pausedAt: known.data.at }
        : state;
    case 'CampaignResumed':
      return state.status === 'Paused' ? running(state, state.startedAt) : state;
    case 'CampaignCancelled':
      return state.status === 'Completed' || state.status === 'Cancelled'
        ? state
        : { ...lifeOf(state), status: 'Cancelled', cancelledAt: known.data.at };
    case 'CampaignCompleted':
      return state.status === 'Running' || state.status === 'Paused'
        ? { ...lifeOf(state), status: 'Completed', completedAt: known.data.at }
        : state;
    case 'CampaignContactsEnrolled':
      return withRoster(state, enroll(state.roster, known.data));
    case 'CampaignEnrollmentClosed':
      return withRoster(state, { ...state.roster, enrollmentClosed: true });
    case 'ContactAttemptStarted':
      return withRoster(state, attemptStarted(state.roster, known.data));
    case 'ContactAttemptReleased':
      return withRoster(state, attemptReleased(state.roster, known.data));
    case 'ContactAttemptEnded':
      return withRoster(state, attemptEnded(state.roster, known.data));
    case 'ContactAttemptCharged':
      return withRoster(state, attemptCharged(state.roster, known.data));
    case 'ContactRetryScheduled':
      return withRoster(state, update(state.roster, known.data.contactId, (contact) =>
        contact.status === 'pending' ? { ...contact, status: 'retry_scheduled', retryAt: known.data.retryAt } : null,
      ));
    case 'ContactCompleted':
      return withRoster(state, update(state.roster, known.data.contactId, (contact) =>
        contact.status === 'pending' || contact.status === 'retry_scheduled'
          ? { ...contact, status: 'done', outcome: known.data.outcome }
          : null,
      ));
    case 'ContactSkipped':
      return withRoster(state, update(state.roster, known.data.contactId, (contact) =>
        isFinal(contact)
          ? null
          : // An attempt claimed but never placed (its number was refused) is not an attempt.
            { ...base(contact), attempts: contact.attempts.filter((record) => record.ended !== null), status: 'skipped', reason: known.data.reason },
      ));
    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}

/** Replays a whole stream. */
export function evolveCampaignAll(
  events: Iterable<{ readonly type: string; readonly data: unknown }>,
  from: CampaignState = initialCampaignState(),
): CampaignState {
  let state = from;
  for (const event of events) state = evolveCampaign(state, event);
  return state;
}

function lifeOf(state: ExistingCampaign) {
  const { campaignId, tenantId, settings, createdAt, roster } = state;
  return { campaignId, tenantId, settings, createdAt, roster };
}

function running(state: ExistingCampaign, startedAt: string): CampaignState {
  return { ...lifeOf(state), status: 'Running', startedAt };
}

function withRoster(state: ExistingCampaign, roster: Roster): CampaignState {
  return roster === state.roster ? state : { ...state, roster };
}

function base(contact: ContactProgress) {
  const { contactId, phone, zones, attempts } = contact;
  return { contactId, phone, zones, attempts };
}

/** Replaces one contact; the counters follow its move into or out of a slot and into a final status. */
function update(roster: Roster, contactId: string, change: (contact: ContactProgress) => ContactProgress | null): Roster {
  const index = roster.indexOf.get(contactId);
  const contact = index === undefined ? undefined : roster.contacts.get(index);
  if (index === undefined || contact === undefined) return roster;
  const next = change(contact);
  if (next === null) return roster;
  const slots = Number(next.status === 'dialing') - Number(contact.status === 'dialing');
  const finals = Number(isFinal(next)) - Number(isFinal(contact));
  const contacts = roster.contacts.set(index, next);
  return {
    ...roster,
    contacts,
    inFlight: roster.inFlight + slots,
    finished: roster.finished + finals,
    openFrom: finals > 0 && index === roster.openFrom ? skipFinished(contacts, index) : roster.openFrom,
  };
}

/** The first index at or after `from` whose contact is not final (the list's size when none is). */
function skipFinished(contacts: Roster['contacts'], from: number): number {
  let index = from;
  while (index < contacts.size && isFinal(contacts.get(index)!)) index++;
  return index;
}

function enroll(roster: Roster, data: CampaignEventOf<'CampaignContactsEnrolled'>['data']): Roster {
  if (data.chunk !== roster.nextChunk || roster.enrollmentClosed) return roster;
  const indexOf = new Map(roster.indexOf);
  const phones = new Set(roster.phones);
  const added: ContactProgress[] = [];
  let duplicateEntries = roster.duplicateEntries;
  const claimIndex = (contactId: string): boolean => {
    if (indexOf.has(contactId)) {
      duplicateEntries += 1;
      return false;
    }
    indexOf.set(contactId, roster.contacts.size + added.length);
    return true;
  };
  for (const contact of data.contacts) {
    if (!claimIndex(contact.contactId)) continue;
    phones.add(contact.phone);
    added.push({ contactId: contact.contactId, phone: contact.phone, zones: contact.zones, attempts: [], status: 'pending' });
  }
  for (const skipped of data.skipped) {
    if (!claimIndex(skipped.contactId)) continue;
    added.push({ contactId: skipped.contactId, phone: skipped.phone, zones: [], attempts: [], status: 'skipped', reason: skipped.reason });
  }
  const contacts = roster.contacts.concat(added);
  return {
    ...roster,
    contacts,
    openFrom: skipFinished(contacts, roster.openFrom),
    indexOf,
    phones,
    nextChunk: roster.nextChunk + 1,
    finished: roster.finished + added.filter((contact) => contact.status === 'skipped').length,
    duplicateEntries,
  };
}

type AttemptRef = { contactId: string; attempt: number; callId: string };

function attemptStarted(roster: Roster, data: AttemptRef & { at: string }): Roster {
  return update(roster, data.contactId, (contact) => {
    if (contact.status !== 'pending' && contact.status !== 'retry_scheduled') return null;
    if (data.attempt !== contact.attempts.length + 1) return null;
    const record: AttemptRecord = { attempt: data.attempt, callId: data.callId, startedAt: data.at, ended: null, cost: null };
    return { ...base(contact), attempts: [...contact.attempts, record], status: 'dialing', attempt: data.attempt, callId: data.callId, since: data.at };
  });
}

function attemptReleased(roster: Roster, data: AttemptRef): Roster {
  return update(roster, data.contactId, (contact) => {
    if (contact.status !== 'dialing' || contact.attempt !== data.attempt) return null;
    // The attempt never happened: it leaves the count, and the contact waits as it did before.
    const attempts = contact.attempts.filter((record) => record.attempt !== data.attempt);
    return { ...base(contact), attempts, status: 'pending' };
  });
}

function attemptEnded(roster: Roster, data: CampaignEventOf<'ContactAttemptEnded'>['data']): Roster {
  return update(roster, data.contactId, (contact) => {
    if (contact.status !== 'dialing' || contact.attempt !== data.attempt) return null;
    const ended = { outcome: data.outcome, billableSeconds: data.billableSeconds, endedAt: data.endedAt };
    const attempts = contact.attempts.map((record) => (record.attempt === data.attempt ? { ...record, ended } : record));
    // 'pending' until the same decision's ContactRetryScheduled or ContactCompleted says which.
    return { ...base(contact), attempts, status: 'pending' };
  });
}

function attemptCharged(roster: Roster, data: CampaignEventOf<'ContactAttemptCharged'>['data']): Roster {
  return update(roster, data.contactId, (contact) => {
    const record = contact.attempts.find((candidate) => candidate.attempt === data.attempt);
    if (!record || record.cost !== null) return null;
    const attempts = contact.attempts.map((candidate) => (candidate === record ? { ...candidate, cost: data.cost } : candidate));
    return { ...contact, attempts };
  });
}
