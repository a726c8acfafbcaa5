import type { PhoneTimeZones } from '../../adapters/phone-zones/phone-time-zones.ts';
import type { AudioReadiness } from '../audio/audio-service.ts';
import { campaignDecider, campaignNotFound, type CampaignCommand, type CreateCampaign } from '../../domain/campaign/index.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { campaignStream } from '../../domain/shared/streams.ts';
import type { AccountSettings } from '../calls/call-service.ts';
import type { ContactCaller, ImportOutcome, ImportPreview } from '../contacts/contact-service.ts';
import type { CommandContext } from '../decider.ts';
import type { CampaignAggregate } from './campaign-aggregate.ts';
import { enrollmentCommands, type ContactForEnrollment } from './enrollment.ts';

export type CampaignCaller = ContactCaller & { readonly mode: 'live' | 'test' };

export type CampaignLifecycleAction = 'start' | 'pause' | 'resume' | 'cancel';

/** What a campaign needs of the address book. */
export interface CampaignContactSource {
  hasList(tenantId: string, listId: string): Promise<boolean>;
  importCsvAsNewList(caller: ContactCaller, file: Uint8Array, list: { name: string; description: string | null }): Promise<ImportOutcome & { listId: string }>;
  /** importCsvAsNewList's checks and report, writing nothing. */
  previewCsvAsNewList(caller: ContactCaller, file: Uint8Array): Promise<ImportPreview>;
  /** The list's members in the order they joined; the read model must include `after` first. */
  membersOf(tenantId: string, listId: string, after: GlobalPosition | null): Promise<ContactForEnrollment[]>;
}

/**
 * Numbers on a do-not-call list, among `phones`: enrolled as skipped with the reason `dnc`. The
 * dialer checks again right before each call; this only keeps a known entry out of the statistics'
 * pending count.
 */
export type DoNotCallFilter = (tenantId: string, phones: readonly string[]) => Promise<ReadonlySet<string>>;

export type NewCampaign = {
  readonly audioId: string;
  /** The list named by the request, or null for a CSV upload. */
  readonly contactListId: string | null;
  readonly csv: Uint8Array | null;
  /** The domain command once the ids are known; throws ValidationError naming a bad field. */
  readonly build: (ids: { campaignId: string; at: Date; upload?: { importId: string; contactListId: string } }) => CreateCampaign;
};

export type CampaignServiceDependencies = {
  readonly campaigns: CampaignAggregate;
  readonly clock: Clock;
  readonly accounts: AccountSettings;
  readonly audio: { readiness(tenantId: string, audioId: string): Promise<AudioReadiness> };
  readonly contacts: CampaignContactSource;
  readonly phoneTimeZones: PhoneTimeZones;
  readonly doNotCall?: DoNotCallFilter;
  readonly newId?: () => string;
};

/**
 * The campaign use cases people start. Creating one is several appends (the campaign, its contacts
 * in chunks, the end of enrollment, the start), each idempotent, all checked before the first:
 * bad input writes nothing. The dialing itself is the CampaignDialer's.
 */
export class CampaignService {
  private readonly newId: () => string;

  constructor(private readonly deps: CampaignServiceDependencies) {
    this.newId = deps.newId ?? (() => crypto.randomUUID());
  }

  async create(caller: CampaignCaller, request: NewCampaign): Promise<{ campaignId: string; position: GlobalPosition | null; import: ImportOutcome | null }> {
    const { clock, contacts } = this.deps;
    await this.requireSources(caller, request);
    const campaignId = this.newId();
    // Built once before anything is written, so a field the domain refuses leaves no contacts behind.
    const draft = request.build({ campaignId, at: clock.now(), ...(request.csv ? { upload: { importId: campaignId, contactListId: campaignId } } : {}) });

    let imported: (ImportOutcome & { listId: string }) | null = null;
    if (request.csv !== null) {
      imported = await contacts.importCsvAsNewList(caller, request.csv, {
        name: `${draft.data.settings.name} (campaign upload)`,
        description: `Uploaded with campaign ${campaignId}`,
      });
    }
    const listId = imported?.listId ?? request.contactListId!;
    const created = request.build({ campaignId, at: clock.now(), ...(imported ? { upload: { importId: imported.importId, contactListId: imported.listId } } : {}) });
    const autoStart = created.data.autoStart;

    let position = await this.run(caller, campaignId, { ...created, data: { ...created.data, autoStart: false } });
    const members = await contacts.membersOf(caller.tenantId, listId, imported?.position ?? null);
    const listed = this.deps.doNotCall ? await this.deps.doNotCall(caller.tenantId, members.map((member) => member.phone)) : new Set<string>();
    const enrollments = await enrollmentCommands({
      campaignId,
      settings: created.data.settings,
      contacts: members.map((member) => (listed.has(member.phone) ? { ...member, skip: 'dnc' as const } : member)),
      firstChunk: 0,
      phoneTimeZones: this.deps.phoneTimeZones,
      at: clock.now(),
    });
    for (const enrollment of enrollments) position = (await this.run(caller, campaignId, enrollment)) ?? position;
    position = (await this.run(caller, campaignId, { type: 'CloseEnrollment', data: { campaignId, at: clock.now().toISOString() } })) ?? position;
    if (autoStart) position = (await this.run(caller, campaignId, { type: 'StartCampaign', data: { campaignId, at: clock.now().toISOString() } })) ?? position;
    return { campaignId, position, import: imported };
  }

  /**
   * A dry run of create (`?dry_run=true`): the same checks — audio, list, every field the domain
   * judges, the CSV file and each of its rows — and the import report the upload would get, with
   * nothing appended. Enrollment (do-not-call skips, zones) is not previewed.
   */
  async preview(caller: CampaignCaller, request: NewCampaign): Promise<{ import: ImportPreview | null }> {
    await this.requireSources(caller, request);
    const campaignId = this.newId();
    const upload = request.csv ? { upload: { importId: campaignId, contactListId: campaignId } } : {};
    const draft = request.build({ campaignId, at: this.deps.clock.now(), ...upload });
    // The decision alone refuses what create's append would refuse (settings the domain checks).
    campaignDecider.decide(draft, campaignDecider.initialState());
    return { import: request.csv ? await this.deps.contacts.previewCsvAsNewList(caller, request.csv) : null };
  }

  /** The audio must be playable, and the contacts given: a list of the tenant's, or a CSV. */
  private async requireSources(caller: CampaignCaller, request: NewCampaign): Promise<void> {
    await this.requirePlayable(caller.tenantId, request.audioId);
    if (request.contactListId === null && request.csv === null) {
      throw new ValidationError('A campaign needs contacts: a contact_list_id, or a csv_file.', { issues: [{ path: 'csv_file', message: 'Required' }] });
    }
    if (request.contactListId !== null && !(await this.deps.contacts.hasList(caller.tenantId, request.contactListId))) {
      throw new NotFoundError('CONTACT_LIST_NOT_FOUND', 'No contact list with this id exists in your account.', {
        field: 'contact_list_id',
        contact_list_id: request.contactListId,
      });
    }
  }

  /** 404 for another tenant's campaign, exactly as for one that does not exist. */
  async transition(caller: CampaignCaller, campaignId: string, action: CampaignLifecycleAction): Promise<GlobalPosition | null> {
    const { state } = await this.deps.campaigns.load(campaignStream(campaignId));
    if (state.status === 'Initial' || state.tenantId !== caller.tenantId) throw campaignNotFound(campaignId);
    const at = this.deps.clock.now().toISOString();
    const type = ({ start: 'StartCampaign', pause: 'PauseCampaign', resume: 'ResumeCampaign', cancel: 'CancelCampaign' } as const)[action];
    return this.run(caller, campaignId, { type, data: { campaignId, at } });
  }

  private async requirePlayable(tenantId: string, audioId: string): Promise<void> {
    const audio = await this.deps.audio.readiness(tenantId, audioId);
    if (audio.status === 'ready') return;
    if (audio.status === 'processing') {
      throw new DomainError('AUDIO_NOT_READY', 'This audio file is still being processed; try again in a moment.', { field: 'audio_id', audio_id: audioId });
    }
    throw new NotFoundError('AUDIO_NOT_FOUND', 'No audio file with this id exists in your account.', { field: 'audio_id', audio_id: audioId });
  }

  private async run(caller: CampaignCaller, campaignId: string, command: CampaignCommand): Promise<GlobalPosition | null> {
    const now = this.deps.clock.now();
    const context: CommandContext = {
      now,
      tenantId: caller.tenantId,
      actor: caller.actor,
      correlationId: caller.correlationId,
      causationId: caller.requestId,
    };
    return (await this.deps.campaigns.handle(campaignStream(campaignId), command, context)).position;
  }
}
