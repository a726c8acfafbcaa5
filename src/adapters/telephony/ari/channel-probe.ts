import type { AriHttp } from './ari-http.ts';

/** Whether a node has the channel: true/false when it answered, null when it could not be asked. */
export async function probeChannel(http: AriHttp, channelId: string): Promise<boolean | null> {
  const response = await http.send('GET', `/channels/${encodeURIComponent(channelId)}`).catch(() => null);
  if (response?.status === 200) return true;
  if (response?.status === 404) return false;
  return null;
}
