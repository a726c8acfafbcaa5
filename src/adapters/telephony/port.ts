import type { Observable } from 'rxjs';

/**
 * The telephony port: how calltrail asks a PBX to dial, and how the PBX's facts come back.
 * Implementations: the ARI adapter (real Asterisk, or the ARI simulator in the sandbox) and
 * test doubles. The adapter keeps no call truth of its own beyond a channel→call map it can rebuild.
 */

export type OriginateRequest = {
  readonly callId: string;
  readonly tenantId: string;
  /** Canonical E.164. */
  readonly to: string;
  readonly callerId: string | null;
  /** What to play once answered: a `sound:` URI (e.g. `sound:hello-world`, `sound:https://…`). */
  readonly media: string | null;
  readonly record: boolean;
  readonly ringTimeoutSeconds: number;
  /** Hard ceiling: the adapter's watchdog hangs up at this point after answer. */
  readonly maxDurationSeconds: number;
  /** Test-mode calls never reach a real trunk. */
  readonly testMode?: boolean;
};

export type OriginateResult = {
  /** The channel id the PBX uses; derived from the call id so a retry cannot create a second. */
  readonly channelId: string;
};

/** Facts the PBX reports. `at` is the PBX's own timestamp where it gives one (ISO-8601). */
export type TelephonyOutcome =
  | { readonly kind: 'ringing'; readonly callId: string; readonly tenantId: string; readonly at: string }
  | { readonly kind: 'answered'; readonly callId: string; readonly tenantId: string; readonly at: string }
  | {
      readonly kind: 'playback_started' | 'playback_finished';
      readonly callId: string;
      readonly tenantId: string;
      readonly playbackId: string;
      readonly media: string;
      readonly at: string;
    }
  | { readonly kind: 'dtmf'; readonly callId: string; readonly tenantId: string; readonly digit: string; readonly at: string }
  | {
      readonly kind: 'recording_stored';
      readonly callId: string;
      readonly tenantId: string;
      readonly name: string;
      readonly format: string;
      readonly durationSeconds: number;
      readonly at: string;
    }
  | {
      /** The channel is gone. `answered` says whether the call had been answered (entered Stasis). */
      readonly kind: 'ended';
      readonly callId: string;
      readonly tenantId: string;
      readonly answered: boolean;
      /** Q.850 cause, or null when the adapter ended it for a reason of its own (see `reason`). */
      readonly cause: number | null;
      readonly causeText: string;
      readonly at: string;
      /** e.g. 'lost while disconnected', 'max duration reached' */
      readonly reason: string | null;
      /**
       * For an end no PBX reported (cause null): the last moment the PBX showed the channel alive,
       * by an event about it or a heartbeat listing it; null when it never did after the originate.
       */
      readonly lastSeenAt?: string | null;
    };

export interface TelephonyPort {
  /** Idempotent per callId: a second originate for the same call must not create a second channel. */
  originate(request: OriginateRequest): Promise<OriginateResult>;
  /** Idempotent: hanging up a channel that is already gone succeeds. */
  hangup(callId: string): Promise<void>;
  /** Every fact the PBX reports, in the order it reported them per call. */
  readonly outcomes: Observable<TelephonyOutcome>;
  /** The audio of a stored recording, streamed from whichever PBX node holds it; null when none does. */
  recordingFile(name: string): Promise<RecordingFile | null>;
  /** Per-node health for /health/ready. */
  health(): Promise<TelephonyHealth>;
  /** What /metrics shows of the PBX side; adapters without nodes or trunks leave it out. */
  gauges?(): TelephonyGauges;
  close(): Promise<void>;
}

export type RecordingFile = {
  readonly contentType: string;
  readonly contentLength: number | null;
  readonly body: AsyncIterable<Uint8Array>;
};

/** Node names and trunk names are the operator's configuration, never a tenant's data. */
export type TelephonyGauges = {
  readonly nodes: ReadonlyArray<{ readonly name: string; readonly connected: boolean; readonly breaker: 'closed' | 'open' | 'half_open' }>;
  /** Originates waiting for the trunk's calls-per-second cap. */
  readonly cpsQueues: ReadonlyArray<{ readonly trunk: string; readonly waiting: number }>;
};

export type TelephonyHealth = {
  readonly ok: boolean;
  readonly nodes: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly detail?: string }>;
};

/**
 * The originate request may or may not have created a channel (it timed out on the way back).
 * The caller must not treat the call as failed: the adapter keeps watching the channel and reports
 * the real outcome, or an `ended` with a reason once it has made sure no channel exists.
 */
export class OriginateOutcomeUnknownError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OriginateOutcomeUnknownError';
  }
}

export class TelephonyUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TelephonyUnavailableError';
  }
}
