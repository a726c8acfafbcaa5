import type { AriEventType } from '../ari-json.ts';
import { model, optional, required, type ModelDecl } from './declare.ts';

/**
 * The models the simulator declares. `ari-client` reads the events declaration to decide which
 * event fields to wrap as Channel/Playback/... objects, and throws on an event type it cannot find,
 * hence the compile-time tie between EVENT_MODELS and the simulator's event union.
 */

const callerId = model('CallerID', 'A party: name and number.', {
  name: required('string', 'Display name'),
  number: required('string', 'Number'),
});

const dialplanLocation = model('DialplanCEP', 'Where the channel is in the dialplan.', {
  context: required('string', 'Context'),
  exten: required('string', 'Extension'),
  priority: required('long', 'Priority'),
  app_name: required('string', 'Application running now'),
  app_data: required('string', 'Its arguments'),
});

const channel = model('Channel', 'A call leg.', {
  id: required('string', 'Unique id of the channel'),
  name: required('string', 'Channel name, e.g. PJSIP/carrier-00000001'),
  state: required('string', 'Down, Ringing or Up'),
  protocol_id: required('string', 'Protocol call id'),
  caller: required('CallerID', 'Calling party'),
  connected: required('CallerID', 'Connected party'),
  accountcode: required('string', 'Account code'),
  dialplan: required('DialplanCEP', 'Dialplan location'),
  creationtime: required('Date', 'When the channel was created'),
  language: required('string', 'Default language'),
  channelvars: optional('object', 'Variables set on the channel at originate'),
});

const variable = model('Variable', 'The value of a channel variable.', {
  value: required('string', 'The value'),
});

const playback = model('Playback', 'Media being played to a channel.', {
  id: required('string', 'Playback id'),
  media_uri: required('string', 'What is played'),
  target_uri: required('string', 'Where it plays, e.g. channel:<id>'),
  language: optional('string', 'Language of the media'),
  state: required('string', 'queued, playing, done or failed'),
});

const liveRecording = model('LiveRecording', 'A recording in progress or just finished.', {
  name: required('string', 'Recording name'),
  format: required('string', 'File format'),
  target_uri: required('string', 'What is recorded'),
  state: required('string', 'queued, recording, done or failed'),
  duration: optional('int', 'Length in seconds'),
  talking_duration: optional('int', 'Seconds of talking'),
  silence_duration: optional('int', 'Seconds of silence'),
  cause: optional('string', 'Why a recording failed'),
});

const storedRecording = model('StoredRecording', 'A finished recording kept on disk.', {
  name: required('string', 'Recording name'),
  format: required('string', 'File format'),
});

const application = model('Application', 'A Stasis application with an events socket.', {
  name: required('string', 'Application name'),
  channel_ids: required('List[string]', 'Channels the application is subscribed to'),
  bridge_ids: required('List[string]', 'Always empty here'),
  endpoint_ids: required('List[string]', 'Always empty here'),
  device_names: required('List[string]', 'Always empty here'),
  events_allowed: required('List[object]', 'Event filter'),
  events_disallowed: required('List[object]', 'Event filter'),
});

const asteriskInfo = model('AsteriskInfo', 'What the server is and since when it runs.', {
  build: optional('object', 'Build information'),
  system: optional('object', 'Version and entity id'),
  config: optional('object', 'Configuration summary'),
  status: optional('object', 'startup_time and last_reload_time'),
});

export const CHANNEL_MODELS = { CallerID: callerId, DialplanCEP: dialplanLocation, Channel: channel };
export const PLAYBACK_MODELS = { Playback: playback };
export const RECORDING_MODELS = { LiveRecording: liveRecording, StoredRecording: storedRecording };
export const OTHER_MODELS = { Variable: variable, Application: application, AsteriskInfo: asteriskInfo };

const eventFields = {
  type: required('string', 'Event type'),
  application: required('string', 'Application the event is for'),
  timestamp: required('Date', 'When it happened'),
  asterisk_id: optional('string', 'Entity id of the server'),
};

function event(id: string, description: string, fields: Record<string, ReturnType<typeof required>>): ModelDecl {
  return model(id, description, { ...eventFields, ...fields });
}

const channelField = required('Channel', 'The channel');

export const EVENT_MODELS = {
  ChannelStateChange: event('ChannelStateChange', 'The channel changed state.', { channel: channelField }),
  StasisStart: event('StasisStart', 'The channel entered the application.', {
    args: required('List[string]', 'Arguments from appArgs'),
    channel: channelField,
  }),
  StasisEnd: event('StasisEnd', 'The channel left the application.', { channel: channelField }),
  ChannelDtmfReceived: event('ChannelDtmfReceived', 'A digit was pressed.', {
    digit: required('string', 'The digit'),
    duration_ms: required('int', 'How long it was pressed'),
    channel: channelField,
  }),
  ChannelHangupRequest: event('ChannelHangupRequest', 'Someone asked for the channel to hang up.', {
    cause: optional('int', 'Q.850 cause'),
    soft: optional('boolean', 'Whether it was a soft hangup'),
    channel: channelField,
  }),
  ChannelDestroyed: event('ChannelDestroyed', 'The channel is gone.', {
    cause: required('int', 'Q.850 cause'),
    cause_txt: required('string', 'Text of the cause'),
    channel: channelField,
  }),
  PlaybackStarted: event('PlaybackStarted', 'A playback began.', { playback: required('Playback', 'The playback') }),
  PlaybackFinished: event('PlaybackFinished', 'A playback ended or failed.', {
    playback: required('Playback', 'The playback'),
  }),
  RecordingStarted: event('RecordingStarted', 'A recording began.', {
    recording: required('LiveRecording', 'The recording'),
  }),
  RecordingFinished: event('RecordingFinished', 'A recording ended.', {
    recording: required('LiveRecording', 'The recording'),
  }),
} satisfies Record<AriEventType, ModelDecl>;

export const MESSAGE_MODELS = {
  Message: model('Message', 'Base of every socket message.', {
    type: required('string', 'Message type'),
    asterisk_id: optional('string', 'Entity id of the server'),
  }),
  Event: model('Event', 'Base of every application event.', eventFields),
};
