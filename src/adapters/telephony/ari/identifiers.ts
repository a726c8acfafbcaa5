/**
 * Ids the adapter hands to Asterisk. All are derived from the call id, so a retry after a crash
 * names the same channel (Asterisk answers 409 instead of dialling twice) and the map from
 * channel to call can be rebuilt from the event store alone.
 */
import { callIdFromChannelId, channelIdFor } from '../../../domain/call/channel-id.ts';

export { channelIdFor, callIdFromChannelId } from '../../../domain/call/channel-id.ts';

export const playbackIdFor = (callId: string): string => `calltrail-play-${callId}`;

/** Recording names become file names on the PBX, so they carry nothing but the call id. */
export const recordingNameFor = (callId: string): string => `calltrail-${callId}`;

/**
 * The snoop channel that records a call. Its prefix keeps it apart from every call channel
 * (`calltrail-<callId>`), so its own StasisStart and ChannelDestroyed can never pass for the call's.
 */
const SNOOP_PREFIX = 'snoop-';
export const snoopIdFor = (callId: string): string => `${SNOOP_PREFIX}${channelIdFor(callId)}`;

export function callIdFromSnoopId(channelId: string): string | null {
  const callChannel = channelId.startsWith(SNOOP_PREFIX) ? channelId.slice(SNOOP_PREFIX.length) : null;
  return callChannel === null ? null : callIdFromChannelId(callChannel);
}

/** Channel variables the dialplan and CDRs can see. */
export const CALL_ID_VARIABLE = 'CALLTRAIL_CALL_ID';
export const TENANT_ID_VARIABLE = 'CALLTRAIL_TENANT_ID';

/** ARI names the thing a playback or recording belongs to as `channel:<id>`. */
export function channelIdFromTargetUri(targetUri: unknown): string | null {
  if (typeof targetUri !== 'string' || !targetUri.startsWith('channel:')) return null;
  return targetUri.slice('channel:'.length);
}
