import {
  campaignDecider,
  type CampaignCommand,
  type CampaignEvent,
  type CampaignSettings,
  type CampaignState,
  type ContactToEnroll,
  type ExistingCampaign,
} from '../../../src/domain/campaign/index.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';

export const campaignId = 'camp-1';
export const tenantId = 'tenant-1';

type SettingsOverrides = Partial<Omit<CampaignSettings, 'schedule'>> & { schedule?: Partial<CampaignSettings['schedule']> };

export function settingsWith(overrides: SettingsOverrides = {}): CampaignSettings {
  const { schedule, ...rest } = overrides;
  return {
    name: 'March Promotion',
    audioId: 'audio-1',
    callerId: null,
    source: { kind: 'contact_list', contactListId: 'list-1' },
    mode: 'live',
    concurrentLimit: 2,
    maxAttempts: 3,
    retryDelayMinutes: 60,
    retryOn: ['BUSY', 'NO_ANSWER', 'CONGESTION', 'FAILED'],
    maxDurationSeconds: null,
    callsPerSecond: null,
    optOutDigit: null,
    ...rest,
    schedule: {
      startAt: null,
      callingHours: null,
      timezone: 'Asia/Karachi',
      days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      ...schedule,
    },
  };
}

export const create = (at: string, settings = settingsWith(), autoStart = false): CampaignCommand => ({
  type: 'CreateCampaign',
  data: { campaignId, tenantId, settings, autoStart, at },
});

type Lifecycle = 'StartCampaign' | 'StartScheduledCampaign' | 'PauseCampaign' | 'PauseCampaignForBalance' | 'ResumeCampaign' | 'CancelCampaign' | 'CompleteCampaign' | 'CloseEnrollment';
export const lifecycle = (type: Lifecycle, at: string): CampaignCommand => ({ type, data: { campaignId, at } }) as CampaignCommand;

export function contact(n: number, overrides: Partial<ContactToEnroll> = {}): ContactToEnroll {
  return { contactId: `c${n}`, phone: `+9230012345${String(n).padStart(2, '0')}`, zones: ['Asia/Karachi'], zoneSource: 'number', ...overrides };
}

export const enroll = (chunk: number, contacts: ContactToEnroll[], at: string): CampaignCommand => ({
  type: 'EnrollContacts',
  data: { campaignId, chunk, contacts, at },
});

export const claim = (at: string, max = 1000): CampaignCommand => ({ type: 'ClaimAttempts', data: { campaignId, max, at } });

export function ended(contactId: string, attempt: number, callId: string, outcome: 'COMPLETED' | 'BUSY' | 'NO_ANSWER' | 'FAILED' | 'REJECTED', endedAt: string, billableSeconds = 0): CampaignCommand {
  return { type: 'RecordAttemptEnded', data: { campaignId, contactId, attempt, callId, outcome, billableSeconds, endedAt } };
}

/** Runs commands in order from the initial state, folding what each decides. */
export function run(commands: CampaignCommand[], from: CampaignState = campaignDecider.initialState()): { state: CampaignState; events: CampaignEvent[] } {
  let state = from;
  const events: CampaignEvent[] = [];
  for (const command of commands) {
    const decided = campaignDecider.decide(command, state);
    events.push(...decided);
    state = decided.reduce(campaignDecider.evolve, state);
  }
  return { state, events };
}

/** given commands, when a command, then events (or an error code). */
export function given(...history: CampaignCommand[]) {
  const { state } = run(history);
  return {
    state: state as ExistingCampaign,
    when(command: CampaignCommand) {
      try {
        const events = campaignDecider.decide(command, state);
        return { events, code: null as string | null, state: events.reduce(campaignDecider.evolve, state) as ExistingCampaign };
      } catch (error) {
        if (error instanceof DomainError) return { events: [] as CampaignEvent[], code: error.code, state: state as ExistingCampaign };
        throw error;
      }
    },
  };
}

export const types = (events: readonly CampaignEvent[]) => events.map((event) => event.type);

/** The attempts claimed in these events. */
export function claimsIn(events: readonly CampaignEvent[]) {
  return events.flatMap((event) => (event.type === 'ContactAttemptStarted' ? [event.data] : []));
}
