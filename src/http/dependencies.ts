import type { MetricsDependencies } from './metrics-dependencies.ts';
import type { CallingHoursPolicy } from '../domain/shared/calling-hours.ts';
import type { RecordingFile } from '../adapters/telephony/port.ts';
import type { CallRow, CallTimelineEntry } from '../projections/calls/types.ts';
import type { FrontDoorDependencies, PrincipalKind, PrincipalLimits, Role } from './front-door.ts';
import type { AudioDependencies, MediaDependencies } from './audio-dependencies.ts';
import type { BillingDependencies } from './billing-dependencies.ts';
import type { AuditDependencies } from './audit-dependencies.ts';
import type { ContactsDependencies } from './contacts-dependencies.ts';
import type { CampaignsDependencies } from './campaigns-dependencies.ts';
import type { DncDependencies } from './dnc-dependencies.ts';
import type { WebhooksDependencies } from './webhooks-dependencies.ts';
import type { ChargeRecord } from '../projections/billing/queries.ts';
import type { ConsistencyPort } from './consistency/port.ts';
import type { EventsDependencies } from './events-dependencies.ts';
import type { OperatorDependencies } from './operator-dependencies.ts';

/**
 * Everything the HTTP layer needs from the rest of calltrail. The app holds no state of its own:
 * commands go through `calls.place`/`calls.hangup`, queries read only read models.
 */

/**
 * Who is calling, as resolved from an API key, a login's access token or the operator key.
 * `actor` is what events record (`apikey:<id>`, `user:<id>`, `operator`). The optional fields come
 * from the front door (src/http/front-door.ts): an absent `kind` is an API key, an absent `role`
 * is full access ('owner'), absent `limits` are the operator's defaults.
 */
export type Principal = {
  tenantId: string;
  actor: string;
  keyId: string | null;
  mode: 'live' | 'test';
  scopes: readonly string[];
  kind?: PrincipalKind;
  role?: Role;
  userId?: string;
  limits?: PrincipalLimits;
};

export type RequestContext = { principal: Principal; correlationId: string; requestId: string };

/** A validated, vendor-neutral call request. The phone number is not yet normalised to E.164. */
export type PlaceCallInput = {
  phoneNumber: string;
  audioId: string | null;
  callerId: string | null;
  record: boolean;
  maxDurationSeconds: number | null;
  ringTimeoutSeconds: number | null;
  /** Replaces the account's calling hours for this call; null: none. Absent: the account's. */
  callingHours?: CallingHoursPolicy | null;
  /** 'next_window': outside the calling hours, the call is kept and placed when they open. */
  schedule?: 'next_window';
  /** One of 0-9, * or #; null for no opt-out key. */
  optOutDigit: string | null;
  /** ZeroVoice's `status_callback_url`: this call's status events are POSTed there, signed. */
  statusCallbackUrl?: string | null;
};

export type ListCallsQuery = { page: number; perPage: number; status: string | null };

export type ComponentHealth = { ok: boolean; detail?: string };

export type HealthReport = { ok: boolean; components: Record<string, ComponentHealth> };

export type Logger = {
  info(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
};

export interface AppDependencies {
  /** Resolves a raw API token; null for unknown or revoked tokens (the app never says which). */
  authenticate(token: string): Promise<Principal | null>;
  calls: {
    /** `statusCallbackSecret`: the secret that signs the call's status callbacks, shown only here. */
    place(ctx: RequestContext, input: PlaceCallInput): Promise<CallRow & { statusCallbackSecret?: string }>;
    /** Throws NotFoundError('CALL_NOT_FOUND') for unknown ids and for other tenants' ids. */
    hangup(ctx: RequestContext, callId: string): Promise<void>;
    /** Rows newest first. */
    list(tenantId: string, query: ListCallsQuery): Promise<{ rows: CallRow[]; total: number }>;
    /**
     * `charge` (when billing is wired): the call's charge and its computation, null until charged.
     * A call the read model does not show yet is read from its stream (read-your-writes).
     */
    get(tenantId: string, callId: string): Promise<{ call: CallRow; timeline: CallTimelineEntry[]; charge?: ChargeRecord | null } | null>;
  };
  /** Call recordings; the routes are mounted only when present. */
  recordings?: {
    /** Null when the call does not exist in this tenant. */
    list(tenantId: string, callId: string): Promise<RecordingSummary[] | null>;
    /** Null when the call or the recording does not exist in this tenant. */
    file(tenantId: string, callId: string, name: string): Promise<RecordingFile | null>;
  };
  health(): Promise<HealthReport>;
  /** Logins, keys, users, tenants, rate limits and idempotency; each part mounts only when given. */
  frontDoor?: FrontDoorDependencies;
  /** The audio library (/api/v1/audio); absent → those routes answer 404. */
  audio?: AudioDependencies;
  /** Signed media links for the PBX (/media/<id>.wav?token=…). */
  media?: MediaDependencies;
  /** Balance, usage, top-ups and rate plans (src/http/routes/{balance,credits,rate-plans}.ts). */
  billing?: BillingDependencies;
  /** A call's audit and the balance at an instant, from the event log (src/http/routes/audit.ts). */
  audit?: AuditDependencies;
  /** Read-your-writes: `Calltrail-Position` on command answers, and bounded waits on reads that present it. */
  consistency?: ConsistencyPort;
  /** Contacts and contact lists (src/http/routes/{contacts,contact-lists}.ts). */
  contacts?: ContactsDependencies;
  /** Campaigns: create, status, contacts and lifecycle (src/http/routes/campaigns.ts). */
  campaigns?: CampaignsDependencies;
  /** Do-not-call lists, the tenant's and the operator's (src/http/routes/dnc.ts). */
  dnc?: DncDependencies;
  /** Webhook endpoints, their delivery log, redelivery and replay (src/http/routes/webhooks.ts). */
  webhooks?: WebhooksDependencies;
  /** The tenant's live events as Server-Sent Events (src/http/routes/events.ts). */
  events?: EventsDependencies;
  /** The console's operator pages: health with projection lag, verify, account audit (src/http/routes/operator.ts). */
  operator?: OperatorDependencies;
  /** Request metrics and GET /metrics (src/http/metrics.ts). */
  metrics?: MetricsDependencies;
  logger?: Logger;
}

export type RecordingSummary = { name: string; format: string; durationSeconds: number; storedAt: string };
