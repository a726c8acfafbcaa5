/**
 * `event_store.client.streams.Streams` as the double serves it: Read (stream reads, $all reads,
 * and the subscription form) and Append. Delete, Tombstone and BatchAppend are left to grpc-js,
 * which answers UNIMPLEMENTED; the double's ServerFeatures does not advertise BatchAppend, so the
 * client never tries it. Test double only; nothing in src/ may use it.
 */
import { randomUUID } from 'node:crypto';
import { status, type ServerWritableStream, type ServerReadableStream, type sendUnaryData } from '@grpc/grpc-js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { EventLog, ProposedRecord, StoredRecord } from './event-log.ts';
import {
  appendSuccess,
  appendWrongExpectedVersion,
  caughtUpResponse,
  checkpointResponse,
  confirmationResponse,
  expectedStateOf,
  proposedRecordOf,
  readEventResponse,
  streamNameOf,
  streamNotFoundResponse,
  type AppendReqMessage,
  type AppendRespMessage,
  type ReadReqMessage,
  type ReadRespMessage,
} from './wire.ts';
import { compileFilter } from './filter.ts';

type ReadOptions = InstanceType<typeof streamsPb.ReadReq.Options>;
type ReadCall = ServerWritableStream<ReadReqMessage, ReadRespMessage>;
type AppendCall = ServerReadableStream<AppendReqMessage, AppendRespMessage>;

const BACKWARDS = streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;

export type StreamsServiceHooks = {
  /** Resolves when the double may commit a fully received append; lets tests crash it in between. */
  readonly beforeCommit: () => Promise<void>;
  /** False once the server that accepted the call has been stopped: nothing it received may land. */
  readonly isServing: (generation: number) => boolean;
  readonly generation: () => number;
};

export function createStreamsService(log: EventLog, subscriptions: { open: number }, hooks: StreamsServiceHooks) {
  return {
    read(call: ReadCall): void {
      try {
        const options = call.request.getOptions();
        if (!options) throw new Error('read request has no options');
        if (options.hasSubscription()) subscribe(log, call, options, subscriptions);
        else readOnce(log, call, options);
      } catch (error) {
        call.emit('error', { code: status.INVALID_ARGUMENT, details: (error as Error).message });
      }
    },

    append(call: AppendCall, callback: sendUnaryData<AppendRespMessage>): void {
      const generation = hooks.generation();
      let header: AppendReqMessage | undefined;
      const proposed: ProposedRecord[] = [];
      let broken: string | undefined;
      call.on('data', (message: AppendReqMessage) => {
        try {
          if (message.hasOptions()) header = message;
          else if (message.hasProposedMessage()) proposed.push(proposedRecordOf(message.getProposedMessage()!));
        } catch (error) {
          broken = (error as Error).message;
        }
      });
      call.on('end', () => {
        void (async () => {
          const options = header?.getOptions();
          if (broken || !options) {
            callback({ code: status.INVALID_ARGUMENT, details: broken ?? 'append sent no options first' });
            return;
          }
          await hooks.beforeCommit();
          // A stopped server must not write what it received: the whole request is one transaction.
          if (call.cancelled || !hooks.isServing(generation)) return;
          const expected = expectedStateOf(options);
          const outcome = log.append(streamNameOf(options.getStreamIdentifier()), expected, proposed);
          callback(
            null,
            outcome.kind === 'success'
              ? appendSuccess(outcome.currentRevision, outcome.position)
              : appendWrongExpectedVersion(expected, outcome.currentRevision),
          );
        })();
      });
    },
  };
}

function countOf(options: ReadOptions): number {
  if (!options.hasCount()) return Number.MAX_SAFE_INTEGER;
  const count = BigInt(options.getCount());
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

function readOnce(log: EventLog, call: ReadCall, options: ReadOptions): void {
  const count = countOf(options);
  const backwards = options.getReadDirection() === BACKWARDS;
  if (options.hasStream()) {
    const streamOptions = options.getStream()!;
    const streamName = streamNameOf(streamOptions.getStreamIdentifier());
    const last = log.lastRevision(streamName);
    if (last < 0n) {
      call.write(streamNotFoundResponse(streamName));
      call.end();
      return;
    }
    let from = 0n;
    if (streamOptions.hasRevision()) from = BigInt(streamOptions.getRevision());
    else if (streamOptions.hasEnd()) from = backwards ? last : last + 1n;
    const records = backwards
      ? (log.readStream(streamName, 0n, Number(from) + 1) ?? []).reverse().slice(0, count)
      : (log.readStream(streamName, from, count) ?? []);
    writeAll(call, records);
    call.end();
    return;
  }

  const allOptions = options.getAll();
  if (!allOptions) throw new Error('read request names neither a stream nor $all');
  const filter = compileFilter(options);
  const position = allOptions.hasPosition()
    ? BigInt(allOptions.getPosition()!.getCommitPosition())
    : allOptions.hasEnd()
      ? log.endPosition
      : 0n;
  const records: StoredRecord[] = [];
  // The server counts events that pass the filter, so keep scanning until the page is full.
  let cursor = position;
  while (records.length < count) {
    const batch = backwards ? log.readAllBackwards(cursor, 256) : log.readAllForwards(cursor, 256);
    if (batch.length === 0) break;
    for (const record of batch) {
      if (records.length < count && filter(record)) records.push(record);
    }
    const edge = batch.at(-1)!;
    cursor = backwards ? edge.position : edge.position + 1n;
  }
  writeAll(call, records);
  call.end();
}

function writeAll(call: ReadCall, records: readonly StoredRecord[]): void {
  for (const record of records) call.write(readEventResponse(record));
}

/**
 * Catch-up then live, with no gap: the snapshot and the live listener are taken in the same tick,
 * and the log only changes between ticks. Subscriptions start strictly after the given point.
 */
function subscribe(log: EventLog, call: ReadCall, options: ReadOptions, subscriptions: { open: number }): void {
  let wanted: (record: StoredRecord) => boolean;
  let pastStart: (record: StoredRecord) => boolean;

  if (options.hasStream()) {
    const streamOptions = options.getStream()!;
    const streamName = streamNameOf(streamOptions.getStreamIdentifier());
    const after = streamOptions.hasRevision()
      ? BigInt(streamOptions.getRevision())
      : streamOptions.hasEnd()
        ? log.lastRevision(streamName)
        : -1n;
    wanted = (record) => record.streamName === streamName;
    pastStart = (record) => record.revision > after;
  } else {
    const allOptions = options.getAll();
    if (!allOptions) throw new Error('subscription names neither a stream nor $all');
    const filter = compileFilter(options);
    const after = allOptions.hasPosition()
      ? BigInt(allOptions.getPosition()!.getCommitPosition())
      : allOptions.hasEnd()
        ? log.endPosition - 1n
        : -1n;
    wanted = filter;
    pastStart = (record) => record.position > after;
  }

  call.write(confirmationResponse(randomUUID()));
  const history = log.snapshot();
  for (const record of history) {
    if (pastStart(record) && wanted(record)) call.write(readEventResponse(record));
  }
  // Filtered $all subscriptions get checkpoints from the server; one at the end of catch-up will do.
  const lastScanned = history.at(-1);
  if (options.hasFilter() && lastScanned) call.write(checkpointResponse(lastScanned.position));
  call.write(caughtUpResponse());
  const stopListening = log.onAppended((record) => {
    if (call.cancelled || call.destroyed) return;
    if (pastStart(record) && wanted(record)) call.write(readEventResponse(record));
  });
  subscriptions.open += 1;
  let open = true;
  const end = (): void => {
    if (!open) return;
    open = false;
    subscriptions.open -= 1;
    stopListening();
  };
  call.on('cancelled', end);
  call.on('close', end);
  call.on('error', end);
}
