import type { RecordingFile } from '../adapters/telephony/port.ts';
import type { CallRow, CallTimelineEntry } from '../projections/calls/types.ts';

/**
 * Everything the HTTP layer needs from the rest of calltrail. The app holds no state of its own:
 * commands go through `calls.place`/`calls.hangup`, queries read only read models.
 */

/** Who is calling, as resolved from an API key. `actor` is what events record (`apikey:<id>`). */
export type Principal = {
  tenantId: string;
  actor: string;
  keyId: string;
  mode: 'live' | 'test';
  scopes: readonly string[];
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
    place(ctx: RequestContext, input: PlaceCallInput): Promise<CallRow>;
    /** Throws NotFoundError('CALL_NOT_FOUND') for unknown ids and for other tenants' ids. */
    hangup(ctx: RequestContext, callId: string): Promise<void>;
    /** Rows newest first. */
    list(tenantId: string, query: ListCallsQuery): Promise<{ rows: CallRow[]; total: number }>;
    get(tenantId: string, callId: string): Promise<{ call: CallRow; timeline: CallTimelineEntry[] } | null>;
  };
  /** Call recordings; the routes are mounted only when present. */
  recordings?: {
    /** Null when the call does not exist in this tenant. */
    list(tenantId: string, callId: string): Promise<RecordingSummary[] | null>;
    /** Null when the call or the recording does not exist in this tenant. */
    file(tenantId: string, callId: string, name: string): Promise<RecordingFile | null>;
  };
  health(): Promise<HealthReport>;
  logger?: Logger;
}

export type RecordingSummary = { name: string; format: string; durationSeconds: number; storedAt: string };
