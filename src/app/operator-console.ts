import { isVerifiable, type VerifyReport } from '../adapters/eventstore/hash-chain.ts';
import type { EventStore } from '../adapters/eventstore/port.ts';
import type { AuditService } from '../commands/audit/audit-service.ts';
import { DomainError, NotFoundError } from '../domain/shared/errors.ts';
import { comparePositions, type GlobalPosition } from '../domain/shared/messages.ts';
import type { HealthReport } from '../http/dependencies.ts';
import type { ConsumerLag, OperatorDependencies, OperatorHealth, VerifyOutcome } from '../http/operator-dependencies.ts';
import { logHead } from './log-head.ts';
import { LAG_COUNT_CAP } from './metrics/engine-metrics.ts';

export type OperatorConsoleOptions = {
  readonly store: EventStore;
  readonly isOperator: (token: string) => boolean | Promise<boolean>;
  readonly health: () => Promise<HealthReport>;
  /** Each consumer of this process by checkpoint name, with where it stands. */
  readonly consumers: () => ReadonlyMap<string, { position: GlobalPosition | null; kind: 'projection' | 'reactor' }>;
  readonly audit: AuditService;
  readonly accountExists: (accountId: string) => Promise<boolean>;
};

/** Thrown from verify's progress callback to stop a run at its bound; never leaves this module. */
class VerifyBoundReached extends Error {}

const stoppedAtBound = (error: unknown): boolean =>
  error instanceof VerifyBoundReached || (error instanceof Error && error.cause instanceof VerifyBoundReached);

/**
 * What the operator console shows: the engine's health with each consumer's lag behind the log's
 * head, `calltrail verify` (bounded, one run at a time), and `calltrail audit account`.
 */
export class OperatorConsole {
  private verifying = false;

  constructor(private readonly options: OperatorConsoleOptions) {}

  http(): { operator: OperatorDependencies } {
    return {
      operator: {
        isOperator: this.options.isOperator,
        health: () => this.health(),
        verify: (options) => this.verify(options),
        accountAudit: async (accountId, from, to) => {
          if (!(await this.options.accountExists(accountId))) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'No account with this id exists.', { account_id: accountId });
          return this.options.audit.account(accountId, from, to);
        },
      },
    };
  }

  private async health(): Promise<OperatorHealth> {
    const report = await this.options.health();
    const component = (name: string) => report.components[name] ?? { ok: false, detail: 'not checked' };
    const consumers = [...this.options.consumers()];
    const furthest = consumers.reduce<GlobalPosition | null>((best, [, { position }]) => (position && (!best || isAfter(position, best)) ? position : best), null);
    const eventStore = component('event_store');
    const head = eventStore.ok ? await logHead(this.options.store, furthest).catch(() => null) : null;
    const lags = await Promise.all(consumers.map(([name, consumer]) => this.lagOf(name, consumer, eventStore.ok)));
    return {
      ok: report.ok,
      database: component('database'),
      eventStore: { ...eventStore, head },
      telephony: Object.entries(report.components)
        .filter(([name]) => name === 'telephony' || name.startsWith('telephony:'))
        .map(([name, health]) => ({ name: name.replace(/^telephony:/, ''), ...health })),
      consumers: lags.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
    };
  }

  /** Events after the consumer's position, counted up to LAG_COUNT_CAP, as the lag gauges count. */
  private async lagOf(name: string, consumer: { position: GlobalPosition | null; kind: ConsumerLag['kind'] }, storeUp: boolean): Promise<ConsumerLag> {
    if (!storeUp) return { name, kind: consumer.kind, position: consumer.position, behind: 0, capped: false };
    const behind = await this.options.store.readAll({ ...(consumer.position ? { after: consumer.position } : {}), maxCount: LAG_COUNT_CAP });
    return { name, kind: consumer.kind, position: consumer.position, behind: behind.length, capped: behind.length >= LAG_COUNT_CAP };
  }

  private async verify({ stream, maxEvents }: { stream: string | null; maxEvents: number }): Promise<VerifyOutcome> {
    const { store } = this.options;
    const empty = { checked: 0, streams: 0, limit: maxEvents, firstBroken: null };
    if (!isVerifiable(store)) return { verdict: 'unsupported', ...empty };
    // One run at a time: a second request would double the load on the store for the same answer.
    if (this.verifying) throw new DomainError('VERIFY_RUNNING', 'A verification is already running; try again when it has finished.');
    this.verifying = true;
    let checked = 0;
    try {
      const report: VerifyReport = stream
        ? await store.verifyStream(stream)
        : await store.verifyAll((progress) => {
            checked = progress.checked;
            if (progress.checked >= maxEvents) throw new VerifyBoundReached();
          });
      const broken = report.firstBroken;
      return {
        verdict: report.ok ? 'ok' : 'broken',
        checked: report.checked,
        streams: report.streams,
        limit: maxEvents,
        firstBroken: broken ? { stream: broken.stream, revision: broken.revision.toString(), position: broken.position ?? null, reason: broken.reason } : null,
      };
    } catch (error) {
      // Every link up to the bound holds (a broken one would have ended the run first).
      if (stoppedAtBound(error)) return { verdict: 'incomplete', ...empty, checked };
      throw error;
    } finally {
      this.verifying = false;
    }
  }
}

const isAfter = (a: GlobalPosition, b: GlobalPosition) => comparePositions(a, b) > 0;
