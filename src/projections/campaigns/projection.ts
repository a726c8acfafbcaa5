import type { Kysely, Transaction } from 'kysely';
import { isCampaignEventType, type CampaignEvent, type CampaignEventOf } from '../../domain/campaign/events.ts';
import { evolveCampaign } from '../../domain/campaign/evolve.ts';
import { emptyRoster } from '../../domain/campaign/state.ts';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { PersistentList } from '../../domain/shared/persistent-list.ts';
import { categoryOf, idOf } from '../../domain/shared/streams.ts';
import type { Projection } from '../projection.ts';
import {
  addCounters,
  campaignFromColumns,
  campaignToColumns,
  contactFromColumns,
  contactToColumns,
  countersOf,
  toDomainCampaign,
  toDomainContact,
  withContactProgress,
  withLifecycle,
  zeroCounters,
  type CampaignRow,
  type ContactRow,
} from './rows.ts';
import { CAMPAIGN_CONTACTS, CAMPAIGNS, migrateCampaignsReadModel } from './schema.ts';

/**
 * `campaigns` and `campaign_contacts`, from the `campaign-<id>` streams. A batch is folded in
 * memory per campaign, loading only the contact rows its events name, and written back with
 * multi-row upserts: an enrollment chunk of 1000 contacts is a couple of inserts, an attempt's
 * event one contact row. Each event is folded by the domain's `evolveCampaign` over a roster of
 * just the contact it names, so the read model follows the decider's rules rather than a copy of
 * them. Events at or below the campaign's `last_revision` are skipped, so a redelivered batch or a
 * replay over existing rows changes nothing.
 */
export const campaignsProjection: Projection = {
  name: 'campaigns',
  version: 1,

  migrate: (db: Kysely<any>) => migrateCampaignsReadModel(db),

  async reset(trx: Transaction<any>) {
    await trx.deleteFrom(CAMPAIGN_CONTACTS).execute();
    await trx.deleteFrom(CAMPAIGNS).execute();
  },

  accepts: (event: RecordedEvent) => categoryOf(event.streamName) === 'campaign' && isCampaignEventType(event.type),

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
    const byCampaign = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const campaignId = idOf(event.streamName);
      const list = byCampaign.get(campaignId);
      if (list) list.push(event);
      else byCampaign.set(campaignId, [event]);
    }
    const existing = await trx.selectFrom(CAMPAIGNS).selectAll().where('campaign_id', 'in', [...byCampaign.keys()]).execute();
    const rows = new Map(existing.map((row) => [row.campaign_id as string, campaignFromColumns(row)]));
    const changedCampaigns: CampaignRow[] = [];
    const changedContacts: ContactRow[] = [];
    for (const [campaignId, streamEvents] of byCampaign) {
      const before = rows.get(campaignId) ?? null;
      const fresh = streamEvents.filter((event) => Number(event.streamRevision) > (before?.lastRevision ?? -1));
      if (fresh.length === 0) continue;
      const contacts = new ContactRows(trx, campaignId);
      await contacts.load(fresh.flatMap((event) => (contactEventIds(event) ?? [])));
      let row = before;
      for (const event of fresh) {
        row = await applyOne(row, event as unknown as CampaignEvent, contacts);
        if (row) row = { ...row, lastRevision: Number(event.streamRevision) };
      }
      if (row) changedCampaigns.push(row);
      changedContacts.push(...contacts.changed());
    }
    await upsertCampaigns(trx, changedCampaigns);
    await upsertContacts(trx, changedContacts);
  },
};

/** The contact rows of one campaign a batch touches: loaded once, written once. */
class ContactRows {
  private readonly rows = new Map<string, ContactRow>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly trx: Transaction<any>,
    private readonly campaignId: string,
  ) {}

  async load(contactIds: readonly string[]): Promise<void> {
    const missing = [...new Set(contactIds)].filter((id) => !this.rows.has(id));
    for (const slice of chunks(missing, 1000)) {
      const found = await this.trx.selectFrom(CAMPAIGN_CONTACTS).selectAll().where('campaign_id', '=', this.campaignId).where('contact_id', 'in', slice).execute();
      for (const row of found) this.rows.set(row.contact_id, contactFromColumns(row));
    }
  }

  /** Of these ids, the ones already entered in the campaign, in this batch or before it. */
  async known(contactIds: readonly string[]): Promise<Set<string>> {
    const known = new Set(contactIds.filter((id) => this.rows.has(id)));
    const unseen = [...new Set(contactIds.filter((id) => !known.has(id)))];
    for (const slice of chunks(unseen, 1000)) {
      const found = await this.trx.selectFrom(CAMPAIGN_CONTACTS).select('contact_id').where('campaign_id', '=', this.campaignId).where('contact_id', 'in', slice).execute();
      for (const row of found) known.add(row.contact_id);
    }
    return known;
  }

  get(contactId: string): ContactRow | undefined {
    return this.rows.get(contactId);
  }

  put(row: ContactRow): void {
    this.rows.set(row.contactId, row);
    this.dirty.add(row.contactId);
  }

  changed(): ContactRow[] {
    return [...this.dirty].map((id) => this.rows.get(id)!);
  }
}

const LIFECYCLE = new Set<CampaignEvent['type']>(['CampaignScheduled', 'CampaignStarted', 'CampaignPaused', 'CampaignResumed', 'CampaignCancelled', 'CampaignCompleted']);

/** The contact a per-contact event names; null for the campaign's own events. */
function contactEventIds(event: RecordedEvent): string[] | null {
  const data = event.data as { contactId?: unknown };
  return event.type !== 'CampaignContactsEnrolled' && typeof data.contactId === 'string' ? [data.contactId] : null;
}

async function applyOne(row: CampaignRow | null, event: CampaignEvent, contacts: ContactRows): Promise<CampaignRow | null> {
  if (event.type === 'CampaignCreated') return row ?? created(event.data);
  if (row === null) return null;
  if (event.type === 'CampaignContactsEnrolled') return enroll(row, event.data, contacts);
  if (event.type === 'CampaignEnrollmentClosed') return { ...row, enrollmentClosed: true };
  if (LIFECYCLE.has(event.type)) {
    const state = toDomainCampaign(row, emptyRoster());
    const next = evolveCampaign(state, event);
    return next === state || next.status === 'Initial' ? row : withLifecycle(row, next);
  }
  const contactId = (event.data as { contactId: string }).contactId;
  const contact = contacts.get(contactId);
  return contact ? contactEvent(row, contact, event, contacts) : row;
}

function created(data: CampaignEventOf<'CampaignCreated'>['data']): CampaignRow {
  return {
    campaignId: data.campaignId,
    tenantId: data.tenantId,
    name: data.settings.name,
    status: 'draft',
    pauseReason: null,
    settings: data.settings,
    createdAt: data.createdAt,
    scheduledFor: null,
    startedAt: null,
    pausedAt: null,
    completedAt: null,
    cancelledAt: null,
    enrollmentClosed: false,
    nextChunk: 0,
    contactCount: 0,
    duplicateEntries: 0,
    counters: zeroCounters(),
    currency: null,
    lastRevision: -1,
  };
}

/** As the domain enrolls: the next chunk only; enrolled then skipped entries, in order; an id seen before is a duplicate entry. */
async function enroll(row: CampaignRow, data: CampaignEventOf<'CampaignContactsEnrolled'>['data'], contacts: ContactRows): Promise<CampaignRow> {
  if (data.chunk !== row.nextChunk || row.enrollmentClosed) return row;
  const entries = [
    ...data.contacts.map((contact) => ({ contactId: contact.contactId, phone: contact.phone, skip: null })),
    ...data.skipped.map((skipped) => ({ contactId: skipped.contactId, phone: skipped.phone, skip: skipped.reason })),
  ];
  const known = await contacts.known(entries.map((entry) => entry.contactId));
  let ordinal = row.contactCount;
  let duplicates = 0;
  for (const entry of entries) {
    if (known.has(entry.contactId)) {
      duplicates += 1;
      continue;
    }
    known.add(entry.contactId);
    contacts.put({
      campaignId: row.campaignId,
      contactId: entry.contactId,
      tenantId: row.tenantId,
      phone: entry.phone,
      ordinal: ordinal++,
      bucket: entry.skip === null ? 'pending' : 'skipped',
      skipReason: entry.skip,
      outcome: null,
      retryAt: null,
      attempts: [],
    });
  }
  return { ...row, nextChunk: row.nextChunk + 1, contactCount: ordinal, duplicateEntries: row.duplicateEntries + duplicates };
}

/** Folds the event over a roster of this one contact, then moves the counters by the contact's change. */
function contactEvent(row: CampaignRow, contact: ContactRow, event: CampaignEvent, contacts: ContactRows): CampaignRow {
  const progress = toDomainContact(contact);
  const roster = { ...emptyRoster(), contacts: PersistentList.of([progress]), indexOf: new Map([[contact.contactId, 0]]), inFlight: Number(progress.status === 'dialing') };
  const state = toDomainCampaign(row, roster);
  const next = evolveCampaign(state, event);
  const after = next.status === 'Initial' ? undefined : next.roster.contacts.get(0);
  if (!after || after === progress) return row;
  const changed = withContactProgress(contact, after);
  contacts.put(changed);
  const currency = row.currency ?? changed.attempts.find((record) => record.cost !== null)?.cost?.currency ?? null;
  const counters = addCounters(row.counters, countersOf(changed, currency), countersOf(contact, currency));
  return { ...row, counters, currency };
}

async function upsertCampaigns(trx: Transaction<any>, rows: readonly CampaignRow[]): Promise<void> {
  for (const slice of chunks(rows.map(campaignToColumns), 500)) {
    const columns = Object.keys(slice[0]!).filter((column) => column !== 'campaign_id');
    await trx
      .insertInto(CAMPAIGNS)
      .values(slice)
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet((eb) => Object.fromEntries(columns.map((column) => [column, eb.ref(`excluded.${column}`)]))))
      .execute();
  }
}

const MUTABLE_CONTACT_COLUMNS = ['bucket', 'skip_reason', 'outcome', 'retry_at', 'attempts'] as const;

/** 10 parameters a row: 1000 rows stay far below Postgres's 65535 a statement. */
async function upsertContacts(trx: Transaction<any>, rows: readonly ContactRow[]): Promise<void> {
  for (const slice of chunks(rows.map(contactToColumns), 1000)) {
    await trx
      .insertInto(CAMPAIGN_CONTACTS)
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'contact_id']).doUpdateSet((eb) => Object.fromEntries(MUTABLE_CONTACT_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .execute();
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
