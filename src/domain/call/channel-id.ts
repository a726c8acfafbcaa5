/**
 * The PBX channel id of a call, derived from the call id. The dialer records it in CallDialing
 * before it originates, and the telephony adapter uses the same id, so a retried originate names
 * the same channel (Asterisk answers 409 instead of dialling twice) and the channel→call map can be
 * rebuilt from the log alone.
 */
const CHANNEL_PREFIX = 'calltrail-';

export const channelIdFor = (callId: string): string => `${CHANNEL_PREFIX}${callId}`;

export function callIdFromChannelId(channelId: string): string | null {
  return channelId.startsWith(CHANNEL_PREFIX) ? channelId.slice(CHANNEL_PREFIX.length) : null;
}
