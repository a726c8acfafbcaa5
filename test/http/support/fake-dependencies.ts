import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../../src/domain/shared/errors.ts';
import { ManualClock } from '../../../src/domain/shared/clock.ts';
import type { AppDependencies, HealthReport, ListCallsQuery, PlaceCallInput, Principal, RequestContext } from '../../../src/http/dependencies.ts';
import type { CallRow, CallTimelineEntry } from '../../../src/projections/calls/types.ts';
import { callRowFixture } from '../../support/call-row.ts';

/**
 * In-memory stand-ins for what the lead wires in src/main.ts: a key store, the call commands and
 * read model (kept per tenant, like the real one), a health report and a recording logger.
 */

type StoredCall = { call: CallRow; timeline: CallTimelineEntry[] };
type CallsPort = AppDependencies['calls'];

export class FakeCalls implements CallsPort {
  readonly placed: Array<{ ctx: RequestContext; input: PlaceCallInput }> = [];
  readonly hangups: Array<{ ctx: RequestContext; callId: string }> = [];
  /** When set, the next command or query rejects with it (then it is cleared). */
  failNextWith: unknown = null;
  private readonly byTenant = new Map<string, Map<string, StoredCall>>();

  constructor(private readonly clock = new ManualClock()) {}

  async place(ctx: RequestContext, input: PlaceCallInput): Promise<CallRow> {
    this.throwIfPrimed();
    this.placed.push({ ctx, input });
    return this.seed(ctx.principal.tenantId, { to: input.phoneNumber, from: input.callerId, audioId: input.audioId, record: input.record });
  }

  async hangup(ctx: RequestContext, callId: string): Promise<void> {
    this.throwIfPrimed();
    if (!this.tenantCalls(ctx.principal.tenantId).has(callId)) throw new NotFoundError('CALL_NOT_FOUND', 'Call not found');
    this.hangups.push({ ctx, callId });
  }

  async list(tenantId: string, query: ListCallsQuery): Promise<{ rows: CallRow[]; total: number }> {
    this.throwIfPrimed();
    const matching = [...this.tenantCalls(tenantId).values()]
      .map(({ call }) => call)
      .filter((call) => query.status === null || call.status === query.status)
      .filter((call) => query.from === null || call.requestedAt >= query.from)
      .filter((call) => query.to === null || call.requestedAt < query.to)
      .filter((call) => query.campaignId === null || call.campaignId === query.campaignId)
      .filter((call) => query.phone === null || (query.phone.startsWith('+') ? call.to.startsWith(query.phone) : call.to.includes(query.phone)))
      .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
    const start = (query.page - 1) * query.perPage;
    return { rows: matching.slice(start, start + query.perPage), total: matching.length };
  }

  async get(tenantId: string, callId: string): Promise<StoredCall | null> {
    this.throwIfPrimed();
    return this.tenantCalls(tenantId).get(callId) ?? null;
  }

  /** Stores a call directly, as if the projection had written it. Each seed is one second newer. */
  seed(tenantId: string, overrides: Partial<CallRow> = {}, timeline: CallTimelineEntry[] = []): CallRow {
    this.clock.advance(1000);
    const now = this.clock.now().toISOString();
    const call = callRowFixture({
      callId: randomUUID(),
      tenantId,
      to: '+4915112345678',
      requestedAt: now,
      ...overrides,
    });
    this.tenantCalls(tenantId).set(call.callId, { call, timeline });
    return call;
  }

  /** Forgets a call, as a read model that has not caught up yet would not know it. */
  forget(tenantId: string, callId: string): void {
    this.tenantCalls(tenantId).delete(callId);
  }

  private tenantCalls(tenantId: string): Map<string, StoredCall> {
    let calls = this.byTenant.get(tenantId);
    if (!calls) {
      calls = new Map();
      this.byTenant.set(tenantId, calls);
    }
    return calls;
  }

  private throwIfPrimed(): void {
    const error = this.failNextWith;
    if (error === null) return;
    this.failNextWith = null;
    throw error;
  }
}

export class FakeKeyStore {
  readonly lookups: string[] = [];
  private readonly keys = new Map<string, Principal>();
  private readonly revoked = new Set<string>();

  issue(token: string, principal: Partial<Principal> & { tenantId: string }): Principal {
    const keyId = principal.keyId ?? `key_${this.keys.size + 1}`;
    const full: Principal = { actor: `apikey:${keyId}`, keyId, mode: 'live', scopes: ['calls:write', 'calls:read'], ...principal };
    this.keys.set(token, full);
    return full;
  }

  revoke(token: string): void {
    this.revoked.add(token);
  }

  readonly authenticate = async (token: string): Promise<Principal | null> => {
    this.lookups.push(token);
    if (this.revoked.has(token)) return null;
    return this.keys.get(token) ?? null;
  };
}

export type LogEntry = { level: 'info' | 'error'; msg: string; fields: object | undefined };

export class RecordingLogger {
  readonly entries: LogEntry[] = [];
  info(msg: string, fields?: object): void {
    this.entries.push({ level: 'info', msg, fields });
  }
  error(msg: string, fields?: object): void {
    this.entries.push({ level: 'error', msg, fields });
  }
  /** Everything logged, as one string: for "this secret never appears" assertions. */
  text(): string {
    return JSON.stringify(this.entries);
  }
}

export const TENANT_A = 'tenant-a';
export const TENANT_B = 'tenant-b';
export const TOKEN_A = 'ct_live_tenantA_0123456789abcdef';
export const TOKEN_B = 'ct_live_tenantB_fedcba9876543210';

export type Fakes = {
  deps: AppDependencies;
  calls: FakeCalls;
  keys: FakeKeyStore;
  logger: RecordingLogger;
  setHealth(report: HealthReport | Error): void;
};

/** Two tenants with one live key each. */
export function fakeDependencies(): Fakes {
  const calls = new FakeCalls();
  const keys = new FakeKeyStore();
  keys.issue(TOKEN_A, { tenantId: TENANT_A, keyId: 'key_a' });
  keys.issue(TOKEN_B, { tenantId: TENANT_B, keyId: 'key_b' });
  const logger = new RecordingLogger();
  let health: HealthReport | Error = { ok: true, components: { event_store: { ok: true }, telephony: { ok: true } } };
  const deps: AppDependencies = {
    authenticate: keys.authenticate,
    calls,
    health: async () => {
      if (health instanceof Error) throw health;
      return health;
    },
    logger,
  };
  return { deps, calls, keys, logger, setHealth: (report) => (health = report) };
}
