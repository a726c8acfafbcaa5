import type { Kysely } from 'kysely';
import { filter, map, mergeMap, type Subscription } from 'rxjs';
import type { EventStore } from '../adapters/eventstore/port.ts';
import { callCodec } from '../commands/calls/call-codec.ts';
import type { DncOptOut } from '../commands/dnc/port.ts';
import type { CallEventOf } from '../domain/call/events.ts';
import type { GlobalPosition, RecordedEvent } from '../domain/shared/messages.ts';
import { callStream, categoryOf, idOf } from '../domain/shared/streams.ts';
import { loadCheckpoint, migrateCheckpoints, saveCheckpoint } from '../projections/checkpoints.ts';
import { OrderedCheckpoint } from './ordered-checkpoint.ts';
import { InFlight, settleCheckpoint } from './settle-checkpoint.ts';

export type OptOutReactorOptions = {
  readonly concurrency?: number;
  readonly logger?: { error(message: string, fields?: object): void };
  /** Checkpoint name; tests give a second reactor its own to replay the log from the start. */
  readonly checkpointName?: string;
};

const CHECKPOINT = 'reactor:opt-out';
const ACTOR = 'system:opt-out';

/**
 * OptOutRequested → the callee's number on the tenant's do-not-call list (source 'keypress', naming
 * the call). The call itself was already told to hang up by the same decision that recorded the
 * opt-out, so this reactor has one job. The call id is its idempotency key: the list's decider
 * records one keypress opt-out per call, so a redelivered event or a replay adds nothing.
 * Test-mode calls opt out too: a listed number that nobody asked to list is a smaller harm than a
 * call to someone who did.
 */
export class OptOutReactor {
  private subscription: Subscription | null = null;
  private readonly checkpoint = new OrderedCheckpoint();
  private readonly inFlight = new InFlight();
  private saved: GlobalPosition | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly name: string;

  constructor(
    private readonly db: Kysely<any>,
    private readonly store: EventStore,
    private readonly dnc: DncOptOut,
    private readonly options: OptOutReactorOptions = {},
  ) {
    this.name = options.checkpointName ?? CHECKPOINT;
  }

  /** How far this reactor has handled the log in memory (its stored checkpoint may trail it); read by /metrics. */
  progress(): { checkpoint: string; position: GlobalPosition | null } {
    return { checkpoint: this.name, position: this.checkpoint.position };
  }

  async start(): Promise<void> {
    await migrateCheckpoints(this.db);
    const after = await loadCheckpoint(this.db, this.name);
    this.saved = after;
    this.subscription = this.store
      .subscribe({ after })
      .pipe(
        map((event) => ({ event, done: this.checkpoint.begin(event.position) })),
        filter(({ event, done }) => {
          if (isOptOut(event)) return true;
          done();
          return false;
        }),
        mergeMap(({ event, done }) => this.inFlight.track(this.react(event, done)), this.options.concurrency ?? 8),
      )
      .subscribe({ error: (error) => this.log('opt-out subscription failed', error) });
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = null;
    await this.inFlight.settled();
    await this.saving;
    await this.persistCheckpoint();
  }

  /** Once nothing appends any more: the stored checkpoint moves over the events this reactor ignores. */
  async settle(): Promise<void> {
    await settleCheckpoint(this.db, this.store, this.name, isOptOut);
  }

  /** Lists the number behind one OptOutRequested. Public so tests can deliver an event again. */
  async optOut(event: RecordedEvent): Promise<{ position: GlobalPosition | null }> {
    const callId = idOf(event.streamName);
    const [first] = await this.store.readStream(callStream(callId), { maxCount: 1 });
    const requested = first ? callCodec.decode(first) : null;
    if (requested?.type !== 'CallRequested') throw new Error(`call ${callId} has no CallRequested to opt out from`);
    const { digit } = (event.data as CallEventOf<'OptOutRequested'>['data']);
    return this.dnc.recordOptOut({
      tenantId: first!.metadata.tenantId,
      phone: requested.data.to,
      callId,
      reason: `pressed ${digit} during the call`,
      actor: ACTOR,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.eventId,
    });
  }

  private async react(event: RecordedEvent, done: () => void): Promise<void> {
    try {
      await this.optOut(event);
    } catch (error) {
      this.log(`opt-out failed for ${event.streamName}`, error);
    } finally {
      done();
      this.saving = this.saving.then(() => this.persistCheckpoint()).catch((error) => this.log('opt-out checkpoint save failed', error));
    }
  }

  private async persistCheckpoint(): Promise<void> {
    const position = this.checkpoint.position;
    if (!this.checkpoint.isAfter(position, this.saved)) return;
    await saveCheckpoint(this.db, this.name, position!);
    this.saved = position;
  }

  private log(message: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    if (this.options.logger) this.options.logger.error(message, { error: detail });
    else console.error(`${message}: ${detail}`);
  }
}

function isOptOut(event: RecordedEvent): boolean {
  return categoryOf(event.streamName) === 'call' && event.type === 'OptOutRequested';
}
