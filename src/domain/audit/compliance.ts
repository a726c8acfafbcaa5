import type { AppliedCallingWindow, CallEvent } from '../call/events.ts';
import { windowOf } from '../campaign/dialing.ts';
import type { CampaignEvent } from '../campaign/events.ts';
import { evolveCampaign } from '../campaign/evolve.ts';
import { initialCampaignState } from '../campaign/state.ts';
import type { CampaignState } from '../campaign/state.ts';
import type { DncEvent } from '../dnc/events.ts';
import { isInsideWindow, type CallingWindow } from '../shared/calling-window.ts';
import { comparePositions, type GlobalPosition } from '../shared/messages.ts';
import { categoryOf, dncStream, idOf, operatorDncStream } from '../shared/streams.ts';

/**
 * The compliance audit: for every call dialled in a period, proof from the log alone that its
 * number was on no do-not-call list binding its tenant at the position of its CallDialing, and
 * that the instant of dialling was inside the calling window that applied to it.
 *
 * Pure: the caller feeds every event of the log in global order (decoded), and the fold keeps
 * - each do-not-call list (the tenant's own, the operator's) as it stands after the events so far,
 *   so at a CallDialing it holds exactly the DNC events ordered before it;
 * - each campaign's state (its calling hours, each contact's zones), the same way;
 * - each call's request (tenant, number, the window recorded at placement).
 * A call's CallDialing is where it was claimed for the PBX; the dialer's CallBlocked after it
 * means it never reached the PBX, so such a call is listed as blocked, never as a violation.
 */

export type PositionText = { readonly commit: string; readonly prepare: string };

/** The entry that listed a number, as the log recorded it. */
export type DncEntryProof = {
  readonly scope: 'tenant' | 'operator';
  readonly eventId: string;
  readonly eventType: string;
  readonly position: PositionText;
  readonly at: string;
};

export type DncProof =
  | {
      readonly listed: false;
      /** DNC events of the lists that bind the tenant (its own, the operator's) folded before the dial. */
      readonly eventsFolded: number;
      /** The last of them: the state the dial was judged against. Null when both lists were empty. */
      readonly lastEventPosition: PositionText | null;
    }
  | { readonly listed: true; readonly entry: DncEntryProof; readonly eventsFolded: number };

export type WindowProof =
  | { readonly verdict: 'inside' | 'outside'; readonly source: 'call' | 'campaign'; readonly hours: CallingWindow['hours']; readonly days: readonly string[]; readonly zones: readonly string[] }
  | { readonly verdict: 'no_hours'; readonly source: 'call' | 'campaign' }
  /** A call placed before windows were recorded on CallRequested: nothing to prove either way. */
  | { readonly verdict: 'not_recorded' };

export type DialledCall = {
  readonly callId: string;
  readonly tenantId: string;
  readonly phone: string;
  readonly campaignId: string | null;
  readonly dialingAt: string;
  readonly dialingEventId: string;
  readonly position: PositionText;
  readonly dnc: DncProof;
  readonly window: WindowProof;
  /** Stopped by the dialer's own do-not-call check before any originate (CallBlocked). */
  readonly blocked: boolean;
  readonly violations: readonly string[];
};

export type ComplianceReport = {
  readonly from: string;
  readonly to: string;
  readonly eventsScanned: number;
  readonly calls: readonly DialledCall[];
  readonly dialled: number;
  readonly blocked: number;
  readonly violations: number;
};

/** What the fold reads of an event: its decoded type and data, where it sits in the log, who wrote it. */
export type ComplianceInputEvent = {
  readonly type: string;
  readonly data: unknown;
  readonly streamName: string;
  readonly position: GlobalPosition;
  readonly metadata: { readonly eventId: string; readonly tenantId: string };
};

type Listed = { readonly eventId: string; readonly eventType: string; readonly position: GlobalPosition; readonly at: string };
type DncList = { readonly entries: Map<string, Listed>; events: number; last: GlobalPosition | null };
type Request = { tenantId: string; phone: string; campaignId: string | null; window: AppliedCallingWindow | null | undefined };

const text = (position: GlobalPosition): PositionText => ({ commit: position.commit.toString(), prepare: position.prepare.toString() });

export class ComplianceAudit {
  private readonly lists = new Map<string, DncList>();
  private readonly campaigns = new Map<string, CampaignState>();
  private readonly requests = new Map<string, Request>();
  /** A campaign call's contact, from its claim (ContactAttemptStarted). */
  private readonly attemptContacts = new Map<string, string>();
  private readonly calls = new Map<string, DialledCall>();
  private scanned = 0;
  private readonly fromMs: number;
  private readonly toMs: number;

  constructor(
    private readonly from: string,
    private readonly to: string,
  ) {
    this.fromMs = Date.parse(from);
    this.toMs = Date.parse(to);
  }

  /** The next event of the log, in global order. */
  apply(event: ComplianceInputEvent): void {
    this.scanned++;
    switch (categoryOf(event.streamName)) {
      case 'dnc':
        this.onDnc(event, event as unknown as DncEvent);
        return;
      case 'campaign': {
        const id = idOf(event.streamName);
        const known = event as unknown as CampaignEvent;
        this.campaigns.set(id, evolveCampaign(this.campaigns.get(id) ?? initialCampaignState(), known));
        if (known.type === 'ContactAttemptStarted') this.attemptContacts.set(known.data.callId, known.data.contactId);
        return;
      }
      case 'call':
        this.onCall(event, event as unknown as CallEvent);
        return;
      default:
        return;
    }
  }

  report(): ComplianceReport {
    const calls = [...this.calls.values()];
    return {
      from: this.from,
      to: this.to,
      eventsScanned: this.scanned,
      calls,
      dialled: calls.filter((call) => !call.blocked).length,
      blocked: calls.filter((call) => call.blocked).length,
      violations: calls.filter((call) => call.violations.length > 0).length,
    };
  }

  private list(stream: string): DncList {
    let list = this.lists.get(stream);
    if (!list) this.lists.set(stream, (list = { entries: new Map(), events: 0, last: null }));
    return list;
  }

  private onDnc(recorded: ComplianceInputEvent, event: DncEvent): void {
    const list = this.list(recorded.streamName);
    const listed = (at: string): Listed => ({ eventId: recorded.metadata.eventId, eventType: event.type, position: recorded.position, at });
    switch (event.type) {
      case 'DncEntryAdded':
        // As the decider: listing a listed number again changes nothing, the first entry stands.
        if (!list.entries.has(event.data.phone)) list.entries.set(event.data.phone, listed(event.data.addedAt));
        break;
      case 'DncEntriesImported':
        for (const entry of event.data.entries) if (!list.entries.has(entry.phone)) list.entries.set(entry.phone, listed(event.data.importedAt));
        break;
      case 'DncEntryRemoved':
        list.entries.delete(event.data.phone);
        break;
      default:
        return;
    }
    list.events++;
    list.last = recorded.position;
  }

  private onCall(recorded: ComplianceInputEvent, event: CallEvent): void {
    const callId = idOf(recorded.streamName);
    if (event.type === 'CallRequested') {
      const { tenantId, to, campaignId, callingWindow } = event.data;
      this.requests.set(callId, { tenantId, phone: to, campaignId, window: callingWindow });
      return;
    }
    if (event.type === 'CallBlocked') {
      const call = this.calls.get(callId);
      // Blocked before any originate: whatever the list said, the PBX never saw it.
      if (call) this.calls.set(callId, { ...call, blocked: true, violations: [] });
      return;
    }
    if (event.type !== 'CallDialing') return;
    const at = Date.parse(event.data.at);
    if (!(at >= this.fromMs && at < this.toMs)) return;
    const request = this.requests.get(callId);
    const tenantId = request?.tenantId ?? recorded.metadata.tenantId;
    const phone = request?.phone ?? '';
    const dnc = this.dncProof(tenantId, phone);
    const window = this.windowProof(callId, request, new Date(at));
    const violations: string[] = [];
    if (!request) violations.push('CallDialing with no CallRequested before it: the number dialled is unknown');
    if (dnc.listed) violations.push(`dialled while on the ${dnc.entry.scope} do-not-call list (${dnc.entry.eventType} ${dnc.entry.eventId})`);
    if (window.verdict === 'outside') violations.push(`dialled outside its calling window (${window.source}'s hours, zones ${window.zones.join(', ')})`);
    this.calls.set(callId, {
      callId,
      tenantId,
      phone,
      campaignId: request?.campaignId ?? null,
      dialingAt: event.data.at,
      dialingEventId: recorded.metadata.eventId,
      position: text(recorded.position),
      dnc,
      window,
      blocked: false,
      violations,
    });
  }

  /** The operator's list first (a tenant cannot lift it), then the tenant's own. */
  private dncProof(tenantId: string, phone: string): DncProof {
    const bound = [
      { scope: 'operator' as const, list: this.lists.get(operatorDncStream()) },
      { scope: 'tenant' as const, list: this.lists.get(dncStream(tenantId)) },
    ];
    const eventsFolded = bound.reduce((sum, { list }) => sum + (list?.events ?? 0), 0);
    for (const { scope, list } of bound) {
      const entry = list?.entries.get(phone);
      if (entry) return { listed: true, eventsFolded, entry: { scope, eventId: entry.eventId, eventType: entry.eventType, position: text(entry.position), at: entry.at } };
    }
    const lasts = bound.map(({ list }) => list?.last).filter((p): p is GlobalPosition => p != null);
    const last = lasts.sort(comparePositions).at(-1) ?? null;
    return { listed: false, eventsFolded, lastEventPosition: last ? text(last) : null };
  }

  private windowProof(callId: string, request: Request | undefined, at: Date): WindowProof {
    if (request?.campaignId) {
      const campaign = this.campaigns.get(request.campaignId);
      const contactId = this.attemptContacts.get(callId);
      const index = contactId === undefined || !campaign || campaign.status === 'Initial' ? undefined : campaign.roster.indexOf.get(contactId);
      const contact = index === undefined || !campaign || campaign.status === 'Initial' ? undefined : campaign.roster.contacts.get(index);
      if (campaign && campaign.status !== 'Initial' && contact && contact.zones.length > 0) {
        const window = windowOf(campaign.settings);
        return judged('campaign', window, contact.zones, at);
      }
      return { verdict: 'not_recorded' };
    }
    if (request?.window === undefined) return { verdict: 'not_recorded' };
    if (request.window === null) return { verdict: 'no_hours', source: 'call' };
    return judged('call', { hours: request.window.hours, days: request.window.days }, request.window.zones, at);
  }
}

function judged(source: 'call' | 'campaign', window: CallingWindow, zones: readonly string[], at: Date): WindowProof {
  if (window.hours === null && window.days.length === 7) return { verdict: 'no_hours', source };
  return { verdict: isInsideWindow(zones, window, at) ? 'inside' : 'outside', source, hours: window.hours, days: window.days, zones };
}
