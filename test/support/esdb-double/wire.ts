/**
 * Conversions between the generated protobuf messages that ship with @eventstore/db-client and
 * the double's plain records. Using the client's own generated classes keeps the double honest:
 * whatever the client serialises is exactly what we parse. Test double only.
 */
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { ExpectedState, ProposedRecord, StoredRecord } from './event-log.ts';

const { ReadResp, AppendResp } = streamsPb;
export type ReadReqMessage = InstanceType<typeof streamsPb.ReadReq>;
export type ReadRespMessage = InstanceType<typeof streamsPb.ReadResp>;
export type AppendReqMessage = InstanceType<typeof streamsPb.AppendReq>;
export type AppendRespMessage = InstanceType<typeof streamsPb.AppendResp>;
type AppendOptions = InstanceType<typeof streamsPb.AppendReq.Options>;
type ProposedMessage = InstanceType<typeof streamsPb.AppendReq.ProposedMessage>;
type StreamIdentifier = InstanceType<typeof sharedPb.StreamIdentifier>;
type Uuid = InstanceType<typeof sharedPb.UUID>;

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('request has no stream identifier');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

function identifierFor(streamName: string): StreamIdentifier {
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Buffer.from(streamName, 'utf8'));
  return identifier;
}

/** The server accepts both UUID encodings; the double answers in the string form the client asks for. */
export function uuidToString(uuid: Uuid | undefined): string {
  if (!uuid) throw new Error('proposed message has no id');
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const bytes = Buffer.alloc(16);
    bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
    bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString();
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The server parses ids as GUIDs and hands them back lower-cased. */
export function normaliseEventId(raw: string): string {
  if (!UUID_SHAPE.test(raw)) throw new Error(`event id "${raw}" is not a UUID`);
  return raw.toLowerCase();
}

export function expectedStateOf(options: AppendOptions): ExpectedState {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

export function proposedRecordOf(message: ProposedMessage): ProposedRecord {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (!type || !contentType) throw new Error('proposed message lacks the required "type" or "content-type"');
  return {
    id: normaliseEventId(uuidToString(message.getId())),
    type,
    contentType,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

export function readEventResponse(record: StoredRecord): ReadRespMessage {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  id.setString(record.id);
  recorded.setId(id);
  recorded.setStreamIdentifier(identifierFor(record.streamName));
  recorded.setStreamRevision(record.revision.toString());
  recorded.setCommitPosition(record.position.toString());
  recorded.setPreparePosition(record.position.toString());
  recorded.getMetadataMap().set('type', record.type);
  recorded.getMetadataMap().set('content-type', record.contentType);
  recorded.getMetadataMap().set('created', record.created.toString());
  recorded.setData(record.data);
  recorded.setCustomMetadata(record.customMetadata);

  const event = new ReadResp.ReadEvent();
  event.setEvent(recorded);
  event.setCommitPosition(record.position.toString());
  const response = new ReadResp();
  response.setEvent(event);
  return response;
}

export function streamNotFoundResponse(streamName: string): ReadRespMessage {
  const notFound = new ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(identifierFor(streamName));
  const response = new ReadResp();
  response.setStreamNotFound(notFound);
  return response;
}

export function confirmationResponse(subscriptionId: string): ReadRespMessage {
  const confirmation = new ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(subscriptionId);
  const response = new ReadResp();
  response.setConfirmation(confirmation);
  return response;
}

export function caughtUpResponse(): ReadRespMessage {
  const response = new ReadResp();
  response.setCaughtUp(new ReadResp.CaughtUp());
  return response;
}

export function checkpointResponse(position: bigint): ReadRespMessage {
  const checkpoint = new ReadResp.Checkpoint();
  checkpoint.setCommitPosition(position.toString());
  checkpoint.setPreparePosition(position.toString());
  const response = new ReadResp();
  response.setCheckpoint(checkpoint);
  return response;
}

export function appendSuccess(currentRevision: bigint, position: bigint | undefined): AppendRespMessage {
  const success = new AppendResp.Success();
  if (currentRevision < 0n) success.setNoStream(new sharedPb.Empty());
  else success.setCurrentRevision(currentRevision.toString());
  if (position === undefined) {
    success.setNoPosition(new sharedPb.Empty());
  } else {
    const grpcPosition = new AppendResp.Position();
    grpcPosition.setCommitPosition(position.toString());
    grpcPosition.setPreparePosition(position.toString());
    success.setPosition(grpcPosition);
  }
  const response = new AppendResp();
  response.setSuccess(success);
  return response;
}

export function appendWrongExpectedVersion(expected: ExpectedState, currentRevision: bigint): AppendRespMessage {
  const wrong = new AppendResp.WrongExpectedVersion();
  if (currentRevision < 0n) wrong.setCurrentNoStream(new sharedPb.Empty());
  else wrong.setCurrentRevision(currentRevision.toString());
  switch (expected.kind) {
    case 'revision':
      wrong.setExpectedRevision(expected.revision.toString());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new sharedPb.Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new sharedPb.Empty());
      break;
    case 'any':
      wrong.setExpectedAny(new sharedPb.Empty());
      break;
  }
  const response = new AppendResp();
  response.setWrongExpectedVersion(wrong);
  return response;
}
