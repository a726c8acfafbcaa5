/**
 * The PBX channel id of a call. Deterministic, so an originate retried after a crash asks the PBX
 * for the same channel, which the PBX refuses as a duplicate instead of dialling twice.
 */
export const channelIdFor = (callId: string): string => `ct-${callId}`;

export const callIdFromChannelId = (channelId: string): string | null =>
  channelId.startsWith('ct-') ? channelId.slice(3) : null;
