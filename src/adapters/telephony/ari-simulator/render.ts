import type { AriChannel, AriLiveRecording, AriPlayback, AriStoredRecording } from './ari-json.ts';
import { asteriskTimestamp } from './sim-clock.ts';
import type { SimChannel, SimLiveRecording, SimPlayback, SimStoredRecording } from './world.ts';

/** Turns the simulator's records into the JSON Asterisk would send for them. */

export function channelJson(channel: SimChannel): AriChannel {
  const json: AriChannel = {
    id: channel.id,
    name: channel.name,
    state: channel.state,
    protocol_id: '',
    caller: channel.caller,
    connected: { name: '', number: channel.digits },
    accountcode: '',
    dialplan: channel.inStasis
      ? { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: [channel.app, ...channel.args].join(',') }
      : { context: 'default', exten: 's', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
    creationtime: asteriskTimestamp(channel.createdAtMs),
    language: 'en',
  };
  if (channel.originateVariableNames.length === 0) return json;
  const channelvars: Record<string, string> = {};
  for (const name of channel.originateVariableNames) channelvars[name] = channel.variables.get(name) ?? '';
  return { ...json, channelvars };
}

export function playbackJson(playback: SimPlayback): AriPlayback {
  return {
    id: playback.id,
    media_uri: playback.media,
    target_uri: `channel:${playback.channelId}`,
    language: playback.language,
    state: playback.state,
  };
}

export function liveRecordingJson(recording: SimLiveRecording, durationSeconds?: number): AriLiveRecording {
  const json: AriLiveRecording = {
    name: recording.name,
    format: recording.format,
    target_uri: `channel:${recording.channelId}`,
    state: recording.state,
  };
  if (durationSeconds === undefined) return json;
  // Nobody speaks into a simulated channel: it is all silence.
  return { ...json, duration: durationSeconds, talking_duration: 0, silence_duration: durationSeconds };
}

export function storedRecordingJson(recording: SimStoredRecording): AriStoredRecording {
  return { name: recording.name, format: recording.format };
}
