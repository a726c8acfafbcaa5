import { sql, type Kysely, type Transaction } from 'kysely';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { SecretBox } from '../../adapters/webhooks/secret-box.ts';
import type { WebhookResponse, WebhookSender } from '../../adapters/webhooks/http-sender.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { verdictOf } from '../../domain/webhook/retry.ts';
import { signatureHeader, SIGNATURE_HEADER } from '../../webhooks/verify.ts';
import { ATTEMPTS, DELIVERIES, ENDPOINTS, type StoredSecret } from './tables.ts';

export type DeliverySettings = {
  /** How often due deliveries are looked for (new ones also wake the worker at once). */
  readonly pollMs: number;
  /** Deliveries in flight per endpoint; 1 keeps an endpoint's deliveries strictly in sequence order. */
  readonly perEndpointConcurrency: number;
  /** Endpoints served at once by this process: a slow one holds only its own lane. */
  readonly maxParallelEndpoints: number;
  /** A delivery is retried until this long after its first attempt, then marked failed. */
  readonly retryWindowMs: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** Failed attempts in a row (across an endpoint's deliveries) that disable the endpoint. */
  readonly disableAfterFailures: number;
  /** How long an endpoint's lease lasts without renewal: a crashed process's lanes are free after it. */
  readonly leaseMs: number;
};

export type DisableRequest = { endpointId: string; tenantId: string; reason: 'gone' | 'consecutive_failures'; message: string; consecutiveFailures: number };

export type DeliveryWorkerOptions = {
  readonly settings: DeliverySettings;
  readonly sender: WebhookSender;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  /** Writes the endpoint's WebhookEndpointDisabled event. */
  readonly disable: (request: DisableRequest) => Promise<void>;
  readonly logger?: { error(message: string, fields?: object): void };
};

type Lane = { endpointId: string; tenantId: string; url: string; secrets: StoredSecret[]; failures: number; signing: { at: number; plaintexts: string[] } | null };

type PendingRow = { delivery_id: string; event_id: string; event_type: string; body: string; attempts: number; next_attempt_at: unknown; first_attempt_at: unknown };

/**
 * Deliveries sent before their results are written in one transaction. A crash loses at most the
 * results of one batch: those deliveries are sent again (same ids), never marked without a 2xx.
 */
const BATCH_ROWS = 50;

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value as string).toISOString());

/**
 * Sends what the outbox queued. Each endpoint is a lane: one process at a time holds its lease
 * and sends its deliveries in queue order, the next ones only once the head is done, so an
 * endpoint that was down receives its backlog in sequence order. A delivery is marked delivered
 * only after the receiver's 2xx, in the same transaction that records the attempt: a crash in
 * between sends it again, with the same id. Retries are rows with a `next_attempt_at`, so they
 * survive any restart; the schedule is cockatiel's exponential back-off with jitter.
 */
export class WebhookDeliveryWorker {
  private readonly owner = `worker-${crypto.randomUUID()}`;
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly backoff: ExponentialBackoff<unknown>;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Kysely<any>,
    private readonly options: DeliveryWorkerOptions,
  ) {
    const { backoffInitialMs, backoffMaxMs } = options.settings;
    this.backoff = new ExponentialBackoff({ initialDelay: backoffInitialMs, maxDelay: backoffMaxMs });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    await Promise.allSettled([...this.lanes.values()]);
  }

  /** Something new may be due: look now rather than at the next poll. */
  nudge(): void {
    if (!this.running) return;
    if (this.ticking) this.again = true;
    else this.schedule(0);
  }

  /** The delay before retry number `attempt` (1 = the first retry). */
  retryDelayMs(attempt: number): number {
    let step: IBackoff<unknown> = this.backoff.next();
    for (let i = 1; i < attempt; i++) step = step.next(undefined);
    return Math.round(step.duration);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick()
        .catch((error) => this.log('webhook delivery tick failed', error))
        .finally(() => {
          this.ticking = null;
          const soon = this.again;
          this.again = false;
          this.schedule(soon ? 0 : this.options.settings.pollMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    const free = this.options.settings.maxParallelEndpoints - this.lanes.size;
    if (free <= 0) return;
    const now = this.options.clock.now().toISOString();
    const due = await this.db
      .selectFrom(`${DELIVERIES} as d`)
      .innerJoin(`${ENDPOINTS} as e`, 'e.endpoint_id', 'd.endpoint_id')
      .select('d.endpoint_id')
      .distinct()
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('e.enabled', '=', true)
      .where('e.deleted', '=', false)
      .where((eb) => eb.or([eb('e.lease_until', 'is', null), eb('e.lease_until', '<', now), eb('e.lease_owner', '=', this.owner)]))
      .limit(free + this.lanes.size)
      .execute();
    for (const { endpoint_id: endpointId } of due) {
      if (this.lanes.has(endpointId) || this.lanes.size >= this.options.settings.maxParallelEndpoints) continue;
      const lane = this.runLane(endpointId)
        .catch((error) => this.log(`webhook lane ${endpointId} failed`, error))
        .finally(() => {
          this.lanes.delete(endpointId);
          // A lane that stopped with work left (lease lost, a batch done) is looked at again soon.
          this.nudge();
        });
      this.lanes.set(endpointId, lane);
    }
  }

  private async runLane(endpointId: string): Promise<void> {
    const { perEndpointConcurrency: inFlight, leaseMs } = this.options.settings;
    try {
      while (this.running) {
        const lane = await this.lease(endpointId);
        if (!lane) return;
        const leasedAt = Date.now();
        const now = this.options.clock.now();
        const rows = (await this.db
          .selectFrom(DELIVERIES)
          .select(['delivery_id', 'event_id', 'event_type', 'body', 'attempts', 'next_attempt_at', 'first_attempt_at'])
          .where('endpoint_id', '=', endpointId)
          .where('status', '=', 'pending')
          .orderBy('queue_no')
          .limit(Math.max(BATCH_ROWS, inFlight))
          .execute()) as PendingRow[];
        // Only a due head opens the lane; behind it, only what is due goes along.
        const due: PendingRow[] = [];
        for (const row of rows) {
          if (new Date(row.next_attempt_at as string).getTime() > now.getTime()) break;
          due.push(row);
        }
        if (due.length === 0) return;
        // In order, `inFlight` at a time; a failure ends the batch, so nothing overtakes a retry.
        // The batch also ends well inside the lease, so no other process can take the lane meanwhile.
        const answers: Array<WebhookResponse & { at: Date }> = [];
        while (answers.length < due.length && this.running) {
          const window = due.slice(answers.length, answers.length + inFlight);
          const sent = await Promise.all(window.map((row) => this.attempt(lane, row)));
          answers.push(...sent);
          if (sent.some((answer) => verdictOf(answer.result) !== 'delivered')) break;
          if (Date.now() - leasedAt > leaseMs / 2) break;
        }
        if (answers.length === 0) return;
        const stop = await this.record(lane, due.slice(0, answers.length), answers);
        if (stop) return;
      }
    } finally {
      await this.db
        .updateTable(ENDPOINTS)
        .set({ lease_owner: null, lease_until: null })
        .where('endpoint_id', '=', endpointId)
        .where('lease_owner', '=', this.owner)
        .execute()
        .catch(() => undefined);
    }
  }

  /** Takes or renews the endpoint's lease; null when another process holds it or it may not be sent to. */
  private async lease(endpointId: string): Promise<Lane | null> {
    const now = this.options.clock.now();
    const row = await this.db
      .updateTable(ENDPOINTS)
      .set({ lease_owner: this.owner, lease_until: new Date(now.getTime() + this.options.settings.leaseMs).toISOString() })
      .where('endpoint_id', '=', endpointId)
      .where('enabled', '=', true)
      .where('deleted', '=', false)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString()), eb('lease_owner', '=', this.owner)]))
      .returning(['endpoint_id', 'tenant_id', 'url', 'secrets', 'consecutive_failures'])
      .executeTakeFirst();
    if (!row) return null;
    return {
      endpointId,
      tenantId: row.tenant_id as string,
      url: row.url as string,
      secrets: JSON.parse(row.secrets as string) as StoredSecret[],
      failures: Number(row.consecutive_failures),
      signing: null,
    };
  }

  private async attempt(lane: Lane, row: PendingRow): Promise<WebhookResponse & { at: Date }> {
    const at = this.options.clock.now();
    let plaintexts: string[];
    try {
      plaintexts = this.signingSecrets(lane, at);
    } catch {
      // Sending unsigned would teach receivers to accept unsigned requests: count it as a failure instead.
      return { result: { kind: 'secret_unavailable' }, latencyMs: 0, error: 'the signing secret cannot be opened: WEBHOOK_SECRET_KEY differs from the key it was sealed with', responseExcerpt: null, at };
    }
    const headers = {
      [SIGNATURE_HEADER]: signatureHeader(row.body, Math.floor(at.getTime() / 1000), plaintexts),
      'Calltrail-Event-Id': row.event_id,
      'Calltrail-Event-Type': row.event_type,
      'Calltrail-Delivery-Id': row.delivery_id,
      'User-Agent': 'calltrail-webhooks/1',
    };
    const answer = await this.options.sender.send({ url: lane.url, body: row.body, headers });
    return { ...answer, at };
  }

  /** The secrets that sign now, opened once a second per lane rather than once per delivery. */
  private signingSecrets(lane: Lane, at: Date): string[] {
    if (lane.signing && at.getTime() - lane.signing.at < 1000) return lane.signing.plaintexts;
    const valid = lane.secrets.filter((secret) => secret.validUntil === null || Date.parse(secret.validUntil) > at.getTime());
    const plaintexts = valid.map((secret) => this.options.secrets.open(secret.sealed));
    lane.signing = { at: at.getTime(), plaintexts };
    return plaintexts;
  }

  /** Writes the attempts and their verdicts in one transaction; true when the lane must stop. */
  private async record(lane: Lane, rows: PendingRow[], answers: Array<WebhookResponse & { at: Date }>): Promise<boolean> {
    const { settings } = this.options;
    let failures = lane.failures;
    let disable: DisableRequest | null = null;
    let blocked = false;
    await this.db.transaction().execute(async (trx) => {
      const attemptRows: Record<string, unknown>[] = [];
      const updates: DeliveryUpdate[] = [];
      for (const [index, row] of rows.entries()) {
        const answer = answers[index]!;
        const attempt = row.attempts + 1;
        const firstAt = iso(row.first_attempt_at) ?? answer.at.toISOString();
        const verdict = verdictOf(answer.result);
        const statusCode = answer.result.kind === 'response' ? answer.result.status : null;
        let nextRetryAt: string | null = null;
        let status: 'pending' | 'delivered' | 'failed';
        if (verdict === 'delivered') {
          status = 'delivered';
          failures = 0;
        } else {
          failures++;
          blocked = true;
          if (verdict === 'gone') status = 'failed';
          else {
            const retryAt = answer.at.getTime() + this.retryDelayMs(attempt);
            if (retryAt - Date.parse(firstAt) > settings.retryWindowMs) status = 'failed';
            else {
              status = 'pending';
              nextRetryAt = new Date(retryAt).toISOString();
            }
          }
          if (verdict === 'gone' && !disable) {
            disable = { endpointId: lane.endpointId, tenantId: lane.tenantId, reason: 'gone', message: 'The receiver answered 410 Gone.', consecutiveFailures: failures };
          }
        }
        attemptRows.push({
          delivery_id: row.delivery_id,
          attempt,
          at: answer.at.toISOString(),
          status_code: statusCode,
          latency_ms: answer.latencyMs,
          error: answer.error,
          response_excerpt: answer.responseExcerpt,
          next_retry_at: nextRetryAt,
        });
        const update = { id: row.delivery_id, status, attempt, firstAt, nextRetryAt, at: answer.at.toISOString(), statusCode, error: answer.error, latencyMs: answer.latencyMs };
        updates.push(update);
      }
      await updateDeliveries(trx, updates);
      await trx
        .insertInto(ATTEMPTS)
        .values(attemptRows)
        .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
        .execute();
      if (!disable && failures >= settings.disableAfterFailures) {
        disable = {
          endpointId: lane.endpointId,
          tenantId: lane.tenantId,
          reason: 'consecutive_failures',
          message: `${failures} delivery attempts in a row failed.`,
          consecutiveFailures: failures,
        };
      }
      const found: DisableRequest | null = disable;
      await trx
        .updateTable(ENDPOINTS)
        .set({
          consecutive_failures: failures,
          // Stops this and every other worker at once; the endpoint's event follows below.
          ...(found ? { enabled: false, disabled_reason: found.reason, disabled_message: found.message, disabled_at: this.options.clock.now().toISOString() } : {}),
        })
        .where('endpoint_id', '=', lane.endpointId)
        .execute();
    });
    lane.failures = failures;
    const found: DisableRequest | null = disable;
    if (found) {
      await this.options.disable(found).catch((error) => this.log(`could not record that webhook ${lane.endpointId} is disabled`, error));
      return true;
    }
    return blocked;
  }

  private log(message: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    if (this.options.logger) this.options.logger.error(message, { error: detail });
    else console.error(`${message}: ${detail}`);
  }
}

type DeliveryUpdate = {
  id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempt: number;
  firstAt: string;
  nextRetryAt: string | null;
  at: string;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
};

/** A batch's verdicts in one statement: one round trip whatever the batch's size. */
async function updateDeliveries(trx: Transaction<any>, updates: readonly DeliveryUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  const values = sql.join(
    updates.map(
      (u) =>
        sql`(${u.id}, ${u.status}, ${u.attempt}::integer, ${u.firstAt}::timestamptz, ${u.nextRetryAt}::timestamptz, ${u.status === 'delivered' ? u.at : null}::timestamptz, ${u.statusCode}::integer, ${u.error}::text, ${u.latencyMs}::integer)`,
    ),
  );
  await sql`
    update ${sql.table(DELIVERIES)} as d
    set status = v.status, attempts = v.attempts, first_attempt_at = v.first_at, next_attempt_at = v.next_at,
        delivered_at = v.delivered_at, last_status_code = v.code, last_error = v.error, last_latency_ms = v.latency
    from (values ${values}) as v(id, status, attempts, first_at, next_at, delivered_at, code, error, latency)
    where d.delivery_id = v.id`.execute(trx);
}
