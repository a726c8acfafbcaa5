import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sql, type Kysely } from 'kysely';
import type { EventStore } from '../../adapters/eventstore/port.ts';
import { WrongExpectedRevisionError } from '../../adapters/eventstore/port.ts';
import type { TelephonyPort } from '../../adapters/telephony/port.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { comparePositions, type GlobalPosition } from '../../domain/shared/messages.ts';
import type { MetricsDependencies } from '../../http/metrics-dependencies.ts';

/**
 * The engine's Prometheus metrics, in a registry of its own (two engines in one test process do
 * not share counters). Labels carry only what the operator configured or a closed set of values —
 * route templates, statuses, node, trunk and consumer names — never a tenant, number or id.
 */

/** How far a consumer's lag is counted; a consumer further behind shows this many. */
export const LAG_COUNT_CAP = 1000;

const LIVE_STATUSES = ['REQUESTED', 'DIALING', 'RINGING', 'ANSWERED'];
const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;

export type MetricsSources = {
  readonly db: Kysely<any>;
  readonly store: EventStore;
  readonly telephony: TelephonyPort;
  readonly clock: Clock;
  /** Checkpoint names of the read-model projections; every other checkpoint is a reactor's. */
  readonly projectionCheckpoints: ReadonlySet<string>;
  /** Positions this process's consumers have reached in memory: reactors store theirs lazily, so these are fresher. */
  readonly livePositions?: () => ReadonlyMap<string, GlobalPosition | null>;
};

export class EngineMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly appendDuration: Histogram<'result'>;
  private readonly callsPlaced: Counter;
  private readonly callsEnded: Counter<'status'>;

  constructor(private readonly sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'calltrail_' });
    this.httpRequests = new Counter({ name: 'calltrail_http_requests_total', help: 'HTTP requests by route template and status', labelNames: ['method', 'route', 'status'], registers });
    this.httpDuration = new Histogram({
      name: 'calltrail_http_request_duration_seconds',
      help: 'HTTP request latency by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.appendDuration = new Histogram({
      name: 'calltrail_event_store_append_duration_seconds',
      help: 'Event store append latency; result is ok, conflict (wrong expected revision) or error',
      labelNames: ['result'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.callsPlaced = new Counter({ name: 'calltrail_calls_placed_total', help: 'Calls placed (CallRequested appended by this process)', registers });
    this.callsEnded = new Counter({ name: 'calltrail_calls_ended_total', help: 'Calls ended, by final status (appended by this process)', labelNames: ['status'], registers });

    const { db, store, telephony, clock, projectionCheckpoints, livePositions } = sources;
    new Gauge({
      name: 'calltrail_calls_live',
      help: 'Calls not ended yet, by status, from the calls read model',
      labelNames: ['status'],
      registers,
      async collect() {
        const rows = await db.selectFrom('calls').select(['status', sql<string>`count(*)`.as('n')]).where('status', 'in', LIVE_STATUSES).groupBy('status').execute();
        this.reset();
        for (const status of LIVE_STATUSES) this.set({ status }, Number(rows.find((row) => row.status === status)?.n ?? 0));
      },
    });
    new Gauge({
      name: 'calltrail_campaign_attempts_in_flight',
      help: 'Campaign attempts claimed and not ended, over all campaigns',
      registers,
      async collect() {
        const row = await db.selectFrom('campaigns').select(sql<string>`coalesce(sum(in_flight), 0)`.as('n')).executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      },
    });
    new Gauge({
      name: 'calltrail_webhook_deliveries_pending',
      help: 'Webhook deliveries queued and not yet delivered or given up, over all endpoints',
      registers,
      async collect() {
        const row = await db.selectFrom('webhook_deliveries').select(sql<string>`count(*)`.as('n')).where('status', '=', 'pending').executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      },
    });
    new Gauge({
      name: 'calltrail_webhook_oldest_pending_seconds',
      help: 'Age of the oldest pending webhook delivery (0 when none is pending)',
      registers,
      async collect() {
        const row = await db.selectFrom('webhook_deliveries').select(sql<Date | string | null>`min(enqueued_at)`.as('oldest')).where('status', '=', 'pending').executeTakeFirst();
        const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
        this.set(oldest === null ? 0 : Math.max(0, (clock.now().getTime() - oldest) / 1000));
      },
    });
    const gauges = () => telephony.gauges?.() ?? { nodes: [], cpsQueues: [] };
    new Gauge({
      name: 'calltrail_ari_node_up',
      help: "1 when the Asterisk node's ARI connection is up",
      labelNames: ['node'],
      registers,
      collect() {
        this.reset();
        for (const node of gauges().nodes) this.set({ node: node.name }, node.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'calltrail_ari_circuit_breaker_state',
      help: "1 for the node's current circuit breaker state (closed, open, half_open)",
      labelNames: ['node', 'state'],
      registers,
      collect() {
        this.reset();
        for (const node of gauges().nodes) for (const state of BREAKER_STATES) this.set({ node: node.name, state }, node.breaker === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'calltrail_cps_queue_depth',
      help: "Originates waiting for the trunk's calls-per-second cap",
      labelNames: ['trunk'],
      registers,
      collect() {
        this.reset();
        for (const queue of gauges().cpsQueues) this.set({ trunk: queue.trunk }, queue.waiting);
      },
    });
    // One read of the checkpoints per scrape feeds both lag gauges.
    let lag: Promise<ConsumerLag[]> | null = null;
    const lagOnce = () => (lag ??= consumerLags(db, store, clock, projectionCheckpoints, livePositions?.() ?? new Map()).finally(() => setImmediate(() => (lag = null))));
    new Gauge({
      name: 'calltrail_consumer_lag_events',
      help: `Events in the log after a projection's or reactor's stored checkpoint (counted up to ${LAG_COUNT_CAP})`,
      labelNames: ['kind', 'consumer'],
      registers,
      async collect() {
        this.reset();
        for (const consumer of await lagOnce()) this.set({ kind: consumer.kind, consumer: consumer.name }, consumer.events);
      },
    });
    new Gauge({
      name: 'calltrail_consumer_lag_seconds',
      help: "Age of the oldest event after a projection's or reactor's stored checkpoint (0 when caught up)",
      labelNames: ['kind', 'consumer'],
      registers,
      async collect() {
        this.reset();
        for (const consumer of await lagOnce()) this.set({ kind: consumer.kind, consumer: consumer.name }, consumer.seconds);
      },
    });
  }

  /** The same store, timing every append and counting the calls it places and ends. */
  instrument<Store extends EventStore>(store: Store): Store {
    const append: EventStore['append'] = async (stream, events, expectedRevision) => {
      const stop = this.appendDuration.startTimer();
      try {
        const result = await store.append(stream, events, expectedRevision);
        stop({ result: 'ok' });
        for (const event of events) this.countCall(event.type, event.data);
        return result;
      } catch (error) {
        stop({ result: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error' });
        throw error;
      }
    };
    return new Proxy(store, {
      get(target, property) {
        if (property === 'append') return append;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  http(isOperator: (token: string) => Promise<boolean>): MetricsDependencies {
    return {
      observeRequest: (method, route, status, seconds) => {
        const labels = { method, route, status: String(status) };
        this.httpRequests.inc(labels);
        this.httpDuration.observe(labels, seconds);
      },
      render: async () => ({ contentType: this.registry.contentType, body: await this.registry.metrics() }),
      isOperator,
    };
  }

  private countCall(type: string, data: unknown): void {
    if (type === 'CallRequested') this.callsPlaced.inc();
    else if (type === 'CallCompleted') this.callsEnded.inc({ status: 'COMPLETED' });
    else if (type === 'CallLost') this.callsEnded.inc({ status: 'LOST' });
    else if (type === 'CallFailed') this.callsEnded.inc({ status: String((data as { outcome?: unknown }).outcome ?? 'FAILED') });
  }
}

type ConsumerLag = { name: string; kind: 'projection' | 'reactor'; events: number; seconds: number };

async function consumerLags(
  db: Kysely<any>,
  store: EventStore,
  clock: Clock,
  projections: ReadonlySet<string>,
  live: ReadonlyMap<string, GlobalPosition | null>,
): Promise<ConsumerLag[]> {
  const rows = await db.selectFrom('checkpoints').select(['name', 'commit_position', 'prepare_position']).execute();
  const now = clock.now().getTime();
  return Promise.all(
    rows.map(async (row): Promise<ConsumerLag> => {
      const stored: GlobalPosition = { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
      const inMemory = live.get(String(row.name));
      const after = inMemory && comparePositions(inMemory, stored) > 0 ? inMemory : stored;
      const behind = await store.readAll({ after, maxCount: LAG_COUNT_CAP });
      const oldest = behind[0] ? Date.parse(behind[0].metadata.occurredAt) : now;
      return {
        name: String(row.name),
        kind: projections.has(String(row.name)) ? 'projection' : 'reactor',
        events: behind.length,
        seconds: Math.max(0, (now - oldest) / 1000),
      };
    }),
  );
}
