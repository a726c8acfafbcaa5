import type { Caller } from '../commands/calls/call-service.ts';
import { loadScheduledCall, type ScheduledCallHandler } from '../commands/calls/scheduled-calls.ts';
import type { ScheduledRequest } from '../domain/scheduled-call/index.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { DomainError, InvalidTransitionError } from '../domain/shared/errors.ts';
import { scheduledCallStream } from '../domain/shared/streams.ts';
import type { ScheduledCallQueries } from '../projections/scheduled-calls/queries.ts';

export type CallSchedulerOptions = {
  /** How often the queue is looked at; the clock decides what is due, so a test's clock can jump. */
  readonly pollMs?: number;
  readonly logger?: { error(message: string, fields?: object): void };
};

export interface ScheduledCallPlacer {
  placeScheduled(caller: Caller, request: ScheduledRequest): Promise<'placed' | 'exists'>;
}

const ACTOR = 'system:call-scheduler';

/**
 * Places single calls that waited for their calling hours, once the injected clock reaches their
 * time. The queue is the `scheduled_calls` read model, so it survives a restart; each call is
 * first released on its own stream (with the expected revision, so a concurrent cancel or a second
 * process loses cleanly) and then placed through CallService with all of a call's checks. A
 * release whose placement never finished (a crash, a PBX that was down) is placed on a later pass:
 * the call id is fixed, so that placement happens at most once.
 */
export class CallScheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** Set by stop: a pass in progress ends after the call it is placing. */
  private closing = false;
  private running: Promise<number> | null = null;

  constructor(
    private readonly queue: Pick<ScheduledCallQueries, 'due'>,
    private readonly handler: ScheduledCallHandler,
    private readonly calls: ScheduledCallPlacer,
    private readonly clock: Clock,
    private readonly options: CallSchedulerOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.closing = false;
    this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass over what is due now; passes never overlap. Tests call it after moving their clock. */
  async runDue(): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.pass();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private poll(): void {
    if (this.stopped) return;
    void this.runDue()
      .catch((error: unknown) => this.log('call scheduler pass failed', error))
      .finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(() => this.poll(), this.options.pollMs ?? 1000);
        this.timer.unref();
      });
  }

  private async pass(): Promise<number> {
    let placed = 0;
    for (const due of await this.queue.due(this.clock.now())) {
      if (this.closing) break;
      try {
        if (await this.placeOne(due.callId)) placed++;
      } catch (error) {
        this.log(`scheduled call ${due.callId} could not be placed; will retry`, error);
      }
    }
    return placed;
  }

  private async placeOne(callId: string): Promise<boolean> {
    const loaded = await loadScheduledCall(this.handler, callId);
    if (!loaded.by || loaded.state.status === 'Initial') return false;
    const { by } = loaded;
    const { request } = loaded.state;
    const now = this.clock.now();
    const context = { now, tenantId: by.tenantId, actor: ACTOR, correlationId: by.correlationId, causationId: by.eventId };
    let status: string = loaded.state.status;
    if (status === 'Scheduled') {
      try {
        const released = await this.handler.handle(scheduledCallStream(callId), { type: 'ReleaseScheduledCall', data: { callId, at: now.toISOString() } }, context);
        status = released.state.status;
      } catch (error) {
        // Cancelled meanwhile, or not due by this clock: nothing to place.
        if (error instanceof InvalidTransitionError) return false;
        throw error;
      }
    }
    if (status !== 'Released') return false;
    const caller: Caller = { tenantId: by.tenantId, mode: request.mode, actor: by.actor, correlationId: by.correlationId, requestId: by.eventId };
    try {
      return (await this.calls.placeScheduled(caller, request)) === 'placed';
    } catch (error) {
      // A refusal (do-not-call, no balance, audio gone) is final and recorded; anything else is retried.
      if (!(error instanceof DomainError)) throw error;
      await this.handler.handle(
        scheduledCallStream(callId),
        { type: 'RecordScheduledCallRefused', data: { callId, code: error.code, message: error.message, at: now.toISOString() } },
        context,
      );
      return false;
    }
  }

  private log(message: string, error: unknown): void {
    this.options.logger?.error(message, { error: error instanceof Error ? error.message : String(error) });
  }
}
