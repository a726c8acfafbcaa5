import { callIdForAttempt } from './call-ids.ts';
import { isInsideWindow, nextWindowOpening, type CallingWindow } from '../shared/calling-window.ts';
import type { AttemptOutcome } from './events.ts';
import type { CampaignSettings } from './settings.ts';
import { isFinal, type CampaignState, type ContactProgress, type ExistingCampaign } from './state.ts';

/**
 * The dialer's decisions, as pure functions of the campaign's state and the instant `now`. The
 * process manager asks these; the decider uses the same ones when it claims, so what the dialer
 * plans and what the store accepts cannot drift apart.
 */

export type AttemptToDial = {
  readonly contactId: string;
  readonly phone: string;
  readonly attempt: number;
  readonly callId: string;
};

export function windowOf(settings: CampaignSettings): CallingWindow {
  return { hours: settings.schedule.callingHours, days: settings.schedule.days };
}

/** When a retry may go out: `delayMinutes` after the attempt ended. */
export function retryAt(endedAt: string, delayMinutes: number): string {
  return new Date(Date.parse(endedAt) + delayMinutes * 60_000).toISOString();
}

/**
 * 'retry' when the outcome is one the campaign retries and attempts remain; otherwise the
 * outcome is the contact's final one. An answered call is always final.
 */
export function outcomeDisposition(
  outcome: AttemptOutcome,
  attempt: number,
  settings: Pick<CampaignSettings, 'maxAttempts' | 'retryOn'>,
): 'final' | 'retry' {
  if (outcome === 'COMPLETED') return 'final';
  return settings.retryOn.includes(outcome) && attempt < settings.maxAttempts ? 'retry' : 'final';
}

/** The scheduler's question: has a scheduled campaign's start date come? */
export function dueToStart(state: CampaignState, now: Date): boolean {
  return state.status === 'Scheduled' && now.getTime() >= Date.parse(state.startAt);
}

/** Every contact has its final outcome, no call is in flight, and no more contacts will come. */
export function isComplete(state: CampaignState): boolean {
  if (state.status === 'Initial') return false;
  const { roster } = state;
  return roster.enrollmentClosed && roster.inFlight === 0 && roster.finished === roster.contacts.size;
}

/**
 * The attempts holding a slot. After a restart the dialer places each again: the call id is the
 * attempt's, so a call that was already placed is recognised, not repeated.
 */
export function attemptsInFlight(state: CampaignState): AttemptToDial[] {
  if (state.status === 'Initial' || state.roster.inFlight === 0) return [];
  const live: AttemptToDial[] = [];
  const { contacts, openFrom } = state.roster;
  for (let index = openFrom; index < contacts.size; index++) {
    const contact = contacts.get(index)!;
    if (contact.status === 'dialing') live.push({ contactId: contact.contactId, phone: contact.phone, attempt: contact.attempt, callId: contact.callId });
  }
  return live;
}

/** Free slots: the concurrent limit minus the attempts in flight. */
export function freeSlots(state: ExistingCampaign): number {
  return Math.max(0, state.settings.concurrentLimit - state.roster.inFlight);
}

/** Waiting for its first attempt or for a retry; an exhausted contact is never waiting. */
function waitingSince(contact: ContactProgress, maxAttempts: number): number | null {
  if (contact.attempts.length >= maxAttempts) return null;
  if (contact.status === 'pending') return Number.NEGATIVE_INFINITY;
  if (contact.status === 'retry_scheduled') return Date.parse(contact.retryAt);
  return null;
}

/**
 * The contacts to dial now, at most `capacity` and never more than the free slots, in enrollment
 * order: each is waiting (new, or its retry is due), has attempts left, and is inside the calling
 * window in every one of its zones. Only a running campaign dials.
 */
export function nextContacts(state: CampaignState, now: Date, capacity: number): AttemptToDial[] {
  if (state.status !== 'Running') return [];
  // NaN would never compare as full; Infinity means "all the free slots".
  const room = Math.min(Number.isNaN(capacity) ? 0 : Math.floor(capacity), freeSlots(state));
  if (room <= 0) return [];
  const window = windowOf(state.settings);
  const instant = now.getTime();
  // Most contacts share a handful of zone sets; ask Intl once per set, not once per contact.
  const insideByZones = new Map<string, boolean>();
  const inside = (zones: readonly string[]) => {
    const key = zones.join(' ');
    let answer = insideByZones.get(key);
    if (answer === undefined) {
      answer = isInsideWindow(zones, window, now);
      insideByZones.set(key, answer);
    }
    return answer;
  };
  const picked: AttemptToDial[] = [];
  const { contacts, openFrom } = state.roster;
  for (let index = openFrom; index < contacts.size; index++) {
    if (picked.length >= room) break;
    const contact = contacts.get(index)!;
    const since = waitingSince(contact, state.settings.maxAttempts);
    if (since === null || since > instant || !inside(contact.zones)) continue;
    const attempt = contact.attempts.length + 1;
    picked.push({ contactId: contact.contactId, phone: contact.phone, attempt, callId: callIdForAttempt(state.campaignId, contact.contactId, attempt) });
  }
  return picked;
}

/**
 * The earliest instant ≥ now at which some waiting contact becomes dialable (its retry is due and
 * its window is open), or null when none ever will (nothing waiting). For the dialer's next wake-up
 * and the ETA; it does not look at free slots, which only an attempt's end can change.
 */
export function nextDialableAt(state: CampaignState, now: Date): Date | null {
  if (state.status === 'Initial' || state.status === 'Completed' || state.status === 'Cancelled') return null;
  const window = windowOf(state.settings);
  const openingFrom = new Map<string, Date | null>();
  let earliest: number | null = null;
  const { contacts, openFrom } = state.roster;
  for (let index = openFrom; index < contacts.size; index++) {
    const contact = contacts.get(index)!;
    if (isFinal(contact)) continue;
    const since = waitingSince(contact, state.settings.maxAttempts);
    if (since === null) continue;
    const from = new Date(Math.max(since, now.getTime()));
    const key = `${from.getTime()} ${contact.zones.join(' ')}`;
    if (!openingFrom.has(key)) openingFrom.set(key, nextWindowOpening(contact.zones, window, from));
    const opening = openingFrom.get(key);
    if (opening && (earliest === null || opening.getTime() < earliest)) earliest = opening.getTime();
    if (earliest === now.getTime()) break;
  }
  return earliest === null ? null : new Date(earliest);
}
