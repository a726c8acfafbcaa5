import type { EventStore } from '../../adapters/eventstore/port.ts';
import {
  SCHEDULED_CALL_SCHEMA_VERSION,
  scheduledCallDecider,
  scheduledCallEventSchemas,
  type ScheduledCallCommand,
  type ScheduledCallEvent,
  type ScheduledCallState,
  type ScheduledRequest,
} from '../../domain/scheduled-call/index.ts';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { scheduledCallStream } from '../../domain/shared/streams.ts';
import { CommandHandler } from '../command-handler.ts';
import type { CommandContext } from '../decider.ts';
import { zodCodec } from '../zod-codec.ts';

export type ScheduledCallHandler = CommandHandler<ScheduledCallState, ScheduledCallCommand, ScheduledCallEvent>;

export function createScheduledCallHandler(store: EventStore): ScheduledCallHandler {
  return new CommandHandler<ScheduledCallState, ScheduledCallCommand, ScheduledCallEvent>(store, scheduledCallDecider, zodCodec<ScheduledCallEvent>(scheduledCallEventSchemas, SCHEDULED_CALL_SCHEMA_VERSION));
}

/** Who asked for a scheduled call, from its CallScheduled metadata: the call placed later acts for them. */
export type ScheduledBy = {
  readonly tenantId: string;
  readonly actor: string;
  readonly correlationId: string;
  /** The CallScheduled event's id: what the placed call was caused by. */
  readonly eventId: string;
};

export type LoadedScheduledCall = { state: ScheduledCallState; by: ScheduledBy | null; history: readonly RecordedEvent[] };

export async function loadScheduledCall(handler: ScheduledCallHandler, callId: string): Promise<LoadedScheduledCall> {
  const { state, history } = await handler.load(scheduledCallStream(callId));
  const first = history[0];
  const by = first
    ? { tenantId: first.metadata.tenantId, actor: first.metadata.actor, correlationId: first.metadata.correlationId, eventId: first.metadata.eventId }
    : null;
  return { state, by, history };
}

export function scheduleCall(
  handler: ScheduledCallHandler,
  request: Omit<ScheduledRequest, 'scheduledAt' | 'statusCallback'> & { statusCallback?: ScheduledRequest['statusCallback'] },
  context: CommandContext,
) {
  return handler.handle(scheduledCallStream(request.callId), { type: 'ScheduleCall', data: { ...request, at: context.now.toISOString() } }, context);
}
