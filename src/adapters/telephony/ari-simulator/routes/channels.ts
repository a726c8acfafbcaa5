import { randomUUID } from 'node:crypto';
import { hangupCause } from '../causes.ts';
import { createChannel, destroyChannel } from '../channels.ts';
import { parseEndpoint } from '../endpoint.ts';
import { created, noContent, ok, problem, type Reply, type Route, type RouteInput } from '../http-kit.ts';
import { startPlayback } from '../playbacks.ts';
import { startRecording } from '../recordings.ts';
import { channelJson, liveRecordingJson, playbackJson } from '../render.ts';
import { createSnoop, isSnoopDirection } from '../snoops.ts';
import { RATE_LIMITED_SCRIPT, scriptFor } from '../rules.ts';
import type { OriginateRecord, SimChannel } from '../world.ts';

const CHANNEL_NOT_FOUND = 'Channel not found';
const NOT_IN_STASIS = 'Channel not in Stasis application';

function originate({ params, args, world, limiter }: RouteInput): Reply {
  const requestedId = params['channelId'] ?? args.string('channelId') ?? '';
  const endpoint = args.string('endpoint') ?? '';
  const app = args.string('app') ?? '';
  const note = (channelId: string, result: OriginateRecord['result']) =>
    world.noteOriginate({ channelId, endpoint, app: app === '' ? null : app, receivedAt: world.clock.timestamp(), result });
  const refuse = (message: string) => {
    note(requestedId, 'refused');
    return problem(400, message);
  };

  if (endpoint === '') return refuse('Endpoint must be specified');
  const parsed = parseEndpoint(endpoint);
  if (parsed === null) return refuse('Endpoint is not valid');
  // The simulator only hands channels to Stasis applications; dialplan originates are out of scope.
  if (app === '') return refuse('Application or extension must be specified');
  const timeoutSeconds = args.int('timeout', 30);
  if (timeoutSeconds === null) return refuse('timeout must be an integer');
  const variables = args.variables();
  if (variables === null) return refuse('variables must be an object');

  // Asterisk refuses a second channel with a live channel's id: this is what makes a retry safe.
  if (requestedId !== '' && world.channels.has(requestedId)) {
    note(requestedId, 'duplicate');
    return problem(409, 'Channel with given unique ID already exists');
  }

  const script = limiter.admit(parsed.trunk) ? scriptFor(parsed.digits, world.config.rules).script : RATE_LIMITED_SCRIPT;
  const channel = createChannel(
    world,
    {
      channelId: requestedId === '' ? undefined : requestedId,
      endpoint,
      parsed,
      app,
      appArgs: args.string('appArgs') ?? '',
      callerId: args.string('callerId') ?? '',
      timeoutSeconds,
      variables,
    },
    script,
  );
  note(channel.id, 'created');
  return ok(channelJson(channel));
}

/** Runs `then` with the channel named in the path, or answers 404. */
function withChannel({ params, world }: RouteInput, then: (channel: SimChannel) => Reply): Reply {
  const channel = world.channels.get(params['channelId'] ?? '');
  return channel === undefined ? problem(404, CHANNEL_NOT_FOUND) : then(channel);
}

function hangup(input: RouteInput): Reply {
  return withChannel(input, (channel) => {
    const cause = hangupCause(input.args.string('reason_code'), input.args.string('reason'));
    if (cause === null) return problem(400, 'Invalid reason for hangup provided');
    destroyChannel(input.world, channel, cause, { soft: true });
    return noContent;
  });
}

function answer(input: RouteInput): Reply {
  return withChannel(input, (channel) => (channel.inStasis ? noContent : problem(409, NOT_IN_STASIS)));
}

function play(input: RouteInput): Reply {
  const { params, args, world } = input;
  return withChannel(input, (channel) => {
    if (!channel.inStasis) return problem(409, NOT_IN_STASIS);
    const media = args.list('media');
    if (media.length === 0) return problem(400, 'media is required');
    const id = params['playbackId'] ?? args.string('playbackId') ?? randomUUID();
    if (world.playbacks.has(id)) return problem(409, 'A playback with this id already exists');
    const playback = startPlayback(world, channel, id, media, args.string('lang') ?? 'en');
    return created(playbackJson(playback), `/playbacks/${encodeURIComponent(id)}`);
  });
}

function record(input: RouteInput): Reply {
  const { args, world } = input;
  return withChannel(input, (channel) => {
    if (!channel.inStasis) return problem(409, NOT_IN_STASIS);
    const name = args.string('name') ?? '';
    const format = args.string('format') ?? '';
    if (name === '' || format === '') return problem(400, 'name and format are required');
    const maxDurationSeconds = args.int('maxDurationSeconds', 0);
    if (maxDurationSeconds === null || maxDurationSeconds < 0) return problem(400, 'maxDurationSeconds must be a non-negative integer');
    const ifExists = args.string('ifExists') ?? 'fail';
    if (ifExists !== 'fail' && ifExists !== 'overwrite' && ifExists !== 'append') return problem(400, 'ifExists must be fail, overwrite or append');
    const started = startRecording(world, channel, { name, format, maxDurationSeconds, ifExists });
    if ('status' in started) return problem(started.status, started.message);
    return created(liveRecordingJson(started), `/recordings/live/${encodeURIComponent(name)}`);
  });
}

function snoop(input: RouteInput): Reply {
  const { params, args, world } = input;
  return withChannel(input, (spied) => {
    const app = args.string('app') ?? '';
    if (app === '') return problem(400, 'app is required');
    const spy = args.string('spy') ?? 'none';
    const whisper = args.string('whisper') ?? 'none';
    if (!isSnoopDirection(spy) || !isSnoopDirection(whisper)) return problem(400, 'spy and whisper must be none, both, out or in');
    if (spy === 'none' && whisper === 'none') return problem(400, 'spy or whisper must name a direction');
    const requestedId = params['snoopId'] ?? args.string('snoopId') ?? '';
    const snoopId = requestedId === '' ? undefined : requestedId;
    if (snoopId !== undefined && world.channels.has(snoopId)) return problem(409, 'Channel with given unique ID already exists');
    const channel = createSnoop(world, spied, { snoopId, app, appArgs: args.string('appArgs') ?? '', spy, whisper });
    return ok(channelJson(channel));
  });
}

function getVariable(input: RouteInput): Reply {
  return withChannel(input, (channel) => {
    const name = input.args.string('variable') ?? '';
    if (name === '') return problem(400, 'Variable name is required');
    const value = channel.variables.get(name);
    return value === undefined ? problem(404, 'Provided variable was not found') : ok({ value });
  });
}

function setVariable(input: RouteInput): Reply {
  return withChannel(input, (channel) => {
    const name = input.args.string('variable') ?? '';
    if (name === '') return problem(400, 'Variable name is required');
    const value = input.args.string('value') ?? '';
    if (value === '') channel.variables.delete(name);
    else channel.variables.set(name, value);
    return noContent;
  });
}

export const channelRoutes: readonly Route[] = [
  { method: 'GET', path: '/channels', handle: ({ world }) => ok([...world.channels.values()].map(channelJson)) },
  { method: 'POST', path: '/channels', handle: originate },
  { method: 'GET', path: '/channels/:channelId', handle: (input) => withChannel(input, (channel) => ok(channelJson(channel))) },
  { method: 'POST', path: '/channels/:channelId', handle: originate },
  { method: 'DELETE', path: '/channels/:channelId', handle: hangup },
  { method: 'POST', path: '/channels/:channelId/answer', handle: answer },
  { method: 'POST', path: '/channels/:channelId/play', handle: play },
  { method: 'POST', path: '/channels/:channelId/play/:playbackId', handle: play },
  { method: 'POST', path: '/channels/:channelId/record', handle: record },
  { method: 'POST', path: '/channels/:channelId/snoop', handle: snoop },
  { method: 'POST', path: '/channels/:channelId/snoop/:snoopId', handle: snoop },
  { method: 'GET', path: '/channels/:channelId/variable', handle: getVariable },
  { method: 'POST', path: '/channels/:channelId/variable', handle: setVariable },
];
