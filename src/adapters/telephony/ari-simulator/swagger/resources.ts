import {
  bodyParam,
  operation,
  pathParam,
  queryParam,
  type ParamDecl,
  type ResourceDecl,
} from './declare.ts';
import {
  CHANNEL_MODELS,
  EVENT_MODELS,
  MESSAGE_MODELS,
  OTHER_MODELS,
  PLAYBACK_MODELS,
  RECORDING_MODELS,
} from './models.ts';
import { SNOOP_DIRECTIONS } from '../snoops.ts';

/**
 * The resources and operations the simulator declares: only what calltrail uses. The nicknames
 * become method names in `ari-client` (`client.channels.originate`, `channel.play`, ...).
 */

const channelId = pathParam('channelId', 'Channel id');
const recordingName = pathParam('recordingName', 'Recording name');

const originateParams: readonly ParamDecl[] = [
  queryParam('endpoint', 'string', 'Where to dial, e.g. PJSIP/+923001234567@carrier', { required: true }),
  queryParam('app', 'string', 'Stasis application to hand the answered channel to'),
  queryParam('appArgs', 'string', 'Comma separated arguments for StasisStart'),
  queryParam('callerId', 'string', 'Caller id to present'),
  queryParam('timeout', 'int', 'Seconds to ring before giving up; -1 for no limit', { defaultValue: 30 }),
  bodyParam('variables', 'Channel variables to set: { "variables": { "NAME": "value" } }'),
  queryParam('otherChannelId', 'string', 'Accepted and ignored'),
  queryParam('originator', 'string', 'Accepted and ignored'),
  queryParam('formats', 'string', 'Accepted and ignored'),
];

const originateErrors = { 400: 'Invalid parameters', 409: 'Channel with given unique ID already exists' };
const channelErrors = { 404: 'Channel not found', 409: 'Channel not in a Stasis application' };

const playParams: readonly ParamDecl[] = [
  queryParam('media', 'string', 'Media URI(s), e.g. sound:hello-world', { required: true, allowMultiple: true }),
  queryParam('lang', 'string', 'Language'),
  queryParam('offsetms', 'int', 'Accepted and ignored'),
  queryParam('skipms', 'int', 'Accepted and ignored'),
];

const snoopDirection = (name: string, description: string): ParamDecl =>
  queryParam(name, 'string', description, {
    defaultValue: 'none',
    allowableValues: { valueType: 'LIST', values: SNOOP_DIRECTIONS },
  });

const snoopParams: readonly ParamDecl[] = [
  snoopDirection('spy', 'Which audio the snoop hears: none, both, out (sent to the channel) or in (from it)'),
  snoopDirection('whisper', 'Which way the snoop speaks into the channel: none, both, out or in'),
  queryParam('app', 'string', 'Stasis application the snoop channel enters', { required: true }),
  queryParam('appArgs', 'string', 'Comma separated arguments for its StasisStart'),
];

const snoopErrors = { 400: 'Invalid parameters', 404: 'Channel not found', 409: 'Channel with given unique ID already exists' };

const channels: ResourceDecl = {
  name: 'channels',
  description: 'Channels: originate, inspect, answer, play to, record, snoop on and hang up call legs',
  models: { ...CHANNEL_MODELS, ...PLAYBACK_MODELS, ...RECORDING_MODELS, Variable: OTHER_MODELS.Variable },
  apis: [
    {
      path: '/channels',
      description: 'Active channels',
      operations: [
        operation('GET', 'list', 'List[Channel]', 'List the live channels'),
        operation(
          'POST',
          'originate',
          'Channel',
          'Dial an endpoint',
          [...originateParams, queryParam('channelId', 'string', 'Id for the new channel')],
          originateErrors,
        ),
      ],
    },
    {
      path: '/channels/{channelId}',
      description: 'One channel',
      operations: [
        operation('GET', 'get', 'Channel', 'Channel details', [channelId], { 404: 'Channel not found' }),
        operation('POST', 'originateWithId', 'Channel', 'Dial an endpoint with a chosen id', [channelId, ...originateParams], originateErrors),
        operation(
          'DELETE',
          'hangup',
          'void',
          'Hang up the channel',
          [
            channelId,
            queryParam('reason_code', 'string', 'Q.850 cause or reason word'),
            queryParam('reason', 'string', 'Reason word such as normal or busy'),
          ],
          { 400: 'Invalid reason', 404: 'Channel not found' },
        ),
      ],
    },
    {
      path: '/channels/{channelId}/answer',
      description: 'Answer',
      operations: [operation('POST', 'answer', 'void', 'Answer the channel', [channelId], channelErrors)],
    },
    {
      path: '/channels/{channelId}/play',
      description: 'Play media',
      operations: [
        operation(
          'POST',
          'play',
          'Playback',
          'Start playing media to the channel',
          [channelId, ...playParams, queryParam('playbackId', 'string', 'Id for the playback')],
          channelErrors,
        ),
      ],
    },
    {
      path: '/channels/{channelId}/play/{playbackId}',
      description: 'Play media with a chosen playback id',
      operations: [
        operation(
          'POST',
          'playWithId',
          'Playback',
          'Start playing media with a chosen id',
          [channelId, pathParam('playbackId', 'Playback id'), ...playParams],
          channelErrors,
        ),
      ],
    },
    {
      path: '/channels/{channelId}/record',
      description: 'Record',
      operations: [
        operation(
          'POST',
          'record',
          'LiveRecording',
          'Start recording the channel',
          [
            channelId,
            queryParam('name', 'string', 'Recording name', { required: true }),
            queryParam('format', 'string', 'wav, ulaw or alaw', { required: true }),
            queryParam('maxDurationSeconds', 'int', 'Stop after this long; 0 for no limit', { defaultValue: 0 }),
            queryParam('maxSilenceSeconds', 'int', 'Accepted and ignored', { defaultValue: 0 }),
            queryParam('ifExists', 'string', 'fail, overwrite or append', {
              defaultValue: 'fail',
              allowableValues: { valueType: 'LIST', values: ['fail', 'overwrite', 'append'] },
            }),
            queryParam('beep', 'boolean', 'Accepted and ignored', { defaultValue: false }),
            queryParam('terminateOn', 'string', 'Accepted and ignored', { defaultValue: 'none' }),
          ],
          { ...channelErrors, 400: 'Invalid parameters', 422: 'The format is not known' },
        ),
      ],
    },
    {
      path: '/channels/{channelId}/snoop',
      description: 'Snoop',
      operations: [
        operation(
          'POST',
          'snoopChannel',
          'Channel',
          'Start a snoop channel that listens to (and may speak into) the channel',
          [channelId, ...snoopParams, queryParam('snoopId', 'string', 'Id for the snoop channel')],
          snoopErrors,
        ),
      ],
    },
    {
      path: '/channels/{channelId}/snoop/{snoopId}',
      description: 'Snoop with a chosen id',
      operations: [
        operation(
          'POST',
          'snoopChannelWithId',
          'Channel',
          'Start a snoop channel with a chosen id',
          [channelId, pathParam('snoopId', 'Id for the snoop channel'), ...snoopParams],
          snoopErrors,
        ),
      ],
    },
    {
      path: '/channels/{channelId}/variable',
      description: 'Channel variables',
      operations: [
        operation(
          'GET',
          'getChannelVar',
          'Variable',
          'Read a channel variable',
          [channelId, queryParam('variable', 'string', 'Variable name', { required: true })],
          { 400: 'Missing variable parameter', 404: 'Channel or variable not found' },
        ),
        operation(
          'POST',
          'setChannelVar',
          'void',
          'Set a channel variable',
          [
            channelId,
            queryParam('variable', 'string', 'Variable name', { required: true }),
            queryParam('value', 'string', 'Value; empty unsets'),
          ],
          { 400: 'Missing variable parameter', 404: 'Channel not found' },
        ),
      ],
    },
  ],
};

const playbackId = pathParam('playbackId', 'Playback id');

const playbacks: ResourceDecl = {
  name: 'playbacks',
  description: 'Playbacks in progress',
  models: { ...PLAYBACK_MODELS },
  apis: [
    {
      path: '/playbacks/{playbackId}',
      description: 'One playback',
      operations: [
        operation('GET', 'get', 'Playback', 'Playback details', [playbackId], { 404: 'Playback not found' }),
        operation('DELETE', 'stop', 'void', 'Stop the playback', [playbackId], { 404: 'Playback not found' }),
      ],
    },
  ],
};

const recordings: ResourceDecl = {
  name: 'recordings',
  description: 'Live and stored recordings',
  models: { ...RECORDING_MODELS },
  apis: [
    {
      path: '/recordings/stored',
      description: 'Stored recordings',
      operations: [operation('GET', 'listStored', 'List[StoredRecording]', 'List stored recordings')],
    },
    {
      path: '/recordings/stored/{recordingName}',
      description: 'One stored recording',
      operations: [
        operation('GET', 'getStored', 'StoredRecording', 'Stored recording details', [recordingName], { 404: 'Recording not found' }),
        operation('DELETE', 'deleteStored', 'void', 'Delete a stored recording', [recordingName], { 404: 'Recording not found' }),
      ],
    },
    {
      path: '/recordings/stored/{recordingName}/file',
      description: 'The audio of a stored recording',
      operations: [operation('GET', 'getStoredFile', 'binary', 'Download the audio', [recordingName], { 404: 'Recording not found' })],
    },
    {
      path: '/recordings/live/{recordingName}',
      description: 'A recording in progress',
      operations: [operation('GET', 'getLive', 'LiveRecording', 'Live recording details', [recordingName], { 404: 'Recording not found' })],
    },
    {
      path: '/recordings/live/{recordingName}/stop',
      description: 'Stop a recording',
      operations: [operation('POST', 'stop', 'void', 'Stop and store the recording', [recordingName], { 404: 'Recording not found' })],
    },
  ],
};

const applications: ResourceDecl = {
  name: 'applications',
  description: 'Stasis applications',
  models: { Application: OTHER_MODELS.Application },
  apis: [
    {
      path: '/applications',
      description: 'Applications',
      operations: [operation('GET', 'list', 'List[Application]', 'List the applications with an events socket')],
    },
    {
      path: '/applications/{applicationName}',
      description: 'One application',
      operations: [
        operation('GET', 'get', 'Application', 'Application details', [pathParam('applicationName', 'Application name')], {
          404: 'Application not found',
        }),
      ],
    },
  ],
};

const asterisk: ResourceDecl = {
  name: 'asterisk',
  description: 'The server itself',
  models: { AsteriskInfo: OTHER_MODELS.AsteriskInfo },
  apis: [
    {
      path: '/asterisk/info',
      description: 'Server information',
      operations: [
        operation('GET', 'getInfo', 'AsteriskInfo', 'What the server is and since when it runs', [
          queryParam('only', 'string', 'Accepted and ignored', { allowMultiple: true }),
        ]),
      ],
    },
  ],
};

const events: ResourceDecl = {
  name: 'events',
  description: 'The events WebSocket',
  models: { ...MESSAGE_MODELS, ...EVENT_MODELS, ...CHANNEL_MODELS, ...PLAYBACK_MODELS, ...RECORDING_MODELS },
  apis: [
    {
      path: '/events',
      description: 'Events WebSocket',
      operations: [
        operation(
          'GET',
          'eventWebsocket',
          'Message',
          'Open the WebSocket that carries the events of the given applications',
          [
            queryParam('app', 'string', 'Application name(s)', { required: true, allowMultiple: true }),
            queryParam('subscribeAll', 'boolean', 'Accepted and ignored'),
          ],
          { 400: 'No application given' },
        ),
      ],
    },
  ],
};

export const RESOURCES: readonly ResourceDecl[] = [asterisk, applications, channels, playbacks, recordings, events];
