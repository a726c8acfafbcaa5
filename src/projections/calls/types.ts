/** Rows of the `calls` read model, as the query API sees them. */
export type CallRow = {
  callId: string;
  tenantId: string;
  status: string;
  to: string;
  from: string | null;
  audioId: string | null;
  record: boolean;
  campaignId: string | null;
  requestedAt: string;
  dialingAt: string | null;
  ringingAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  billableMs: number | null;
  cause: number | null;
  causeText: string | null;
  reason: string | null;
  retryable: boolean | null;
  lastRevision: number;
  updatedAt: string;
  /** 'test' for calls placed with a test key: they only ever reach the simulator. */
  mode: 'live' | 'test';
  /** Only on a call still waiting for its calling hours (status SCHEDULED): when it will be placed. */
  scheduledFor?: string;
};

/** One event of a call's story, as the query API shows it. */
export type CallTimelineEntry = {
  eventId: string;
  revision: number;
  type: string;
  occurredAt: string;
  actor: string;
  correlationId: string;
  causationId: string;
  data: Record<string, unknown>;
};
