import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startAriSimulator, type AriSimulator, type AriSimulatorOptions } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { silentWav, wavDurationMs } from '../../../src/adapters/telephony/ari-simulator/wav.ts';

// ari-client ships without types; this is the slice of it the tests drive, loaded unmodified.
type AriResource = { id?: string; name?: string; [key: string]: unknown };
type AriClientInstance = {
  on(event: string, listener: (event: AriEventJson, resource: AriResource) => void): void;
  start(app: string): Promise<void>;
  stop(): void;
  Playback(): AriResource & { id: string };
  channels: Record<string, (options?: Record<string, unknown>) => Promise<AriResource>>;
  playbacks: Record<string, (options?: Record<string, unknown>) => Promise<unknown>>;
  recordings: Record<string, (options?: Record<string, unknown>) => Promise<unknown>>;
  asterisk: Record<string, (options?: Record<string, unknown>) => Promise<unknown>>;
  applications: Record<string, (options?: Record<string, unknown>) => Promise<unknown>>;
};
type AriModule = { connect(url: string, user: string, pass: string): Promise<AriClientInstance> };
const ari = createRequire(import.meta.url)('ari-client') as AriModule;

type AriEventJson = {
  type: string;
  application: string;
  timestamp: string;
  args?: string[];
  cause?: number;
  cause_txt?: string;
  digit?: string;
  duration_ms?: number;
  channel?: { id: string; state: string; creationtime: string; channelvars?: Record<string, string> };
  playback?: { id: string; media_uri: string; target_uri: string; state: string };
  recording?: { name: string; format: string; target_uri: string; state: string; duration?: number };
};

const APP = 'calltrail-test';
const TIME_SCALE = 0.01;

let sim: AriSimulator | undefined;
const clients: AriClientInstance[] = [];
const extraServers: Server[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.stop();
  await sim?.close();
  sim = undefined;
  for (const server of extraServers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function startSim(options: AriSimulatorOptions = {}): Promise<AriSimulator> {
  sim = await startAriSimulator({ timeScale: TIME_SCALE, playbackMs: 2000, ...options });
  return sim;
}

type Connected = { client: AriClientInstance; events: AriEventJson[]; connections: () => number };

async function connect(simulator: AriSimulator): Promise<Connected> {
  const client = await ari.connect(simulator.url, simulator.username, simulator.password);
  clients.push(client);
  const events: AriEventJson[] = [];
  let connections = 0;
  client.on('*', (event) => events.push(event));
  client.on('WebSocketConnected', () => (connections += 1));
  await client.start(APP);
  return { client, events, connections: () => connections };
}

/** Polls until `check` returns something, or fails after the deadline. */
async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function aboutChannel(events: AriEventJson[], channelId: string): AriEventJson[] {
  const target = `channel:${channelId}`;
  return events.filter(
    (event) =>
      event.channel?.id === channelId || event.playback?.target_uri === target || event.recording?.target_uri === target,
  );
}

function describeEvent(event: AriEventJson): string {
  if (event.type === 'ChannelStateChange') return `ChannelStateChange:${event.channel?.state}`;
  if (event.type === 'ChannelDestroyed' || event.type === 'ChannelHangupRequest') return `${event.type}:${event.cause}`;
  if (event.type === 'ChannelDtmfReceived') return `ChannelDtmfReceived:${event.digit}`;
  if (event.playback) return `${event.type}:${event.playback.state}`;
  return event.type;
}

const sequence = (events: AriEventJson[], channelId: string) => aboutChannel(events, channelId).map(describeEvent);
const ended = (events: AriEventJson[], channelId: string) =>
  aboutChannel(events, channelId).find((event) => event.type === 'ChannelDestroyed');
const millisBetween = (from: string, to: string) => Date.parse(to.replace('+0000', 'Z')) - Date.parse(from.replace('+0000', 'Z'));

async function originate(client: AriClientInstance, number: string, extra: Record<string, unknown> = {}): Promise<AriResource> {
  return client.channels['originate']!({ endpoint: `PJSIP/${number}@carrier`, app: APP, ...extra });
}

function basicAuth(simulator: AriSimulator, password = simulator.password): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${simulator.username}:${password}`).toString('base64')}` };
}

describe('ARI simulator with the unmodified ari-client', () => {
  it('answers a default call, plays media and reports the hangup the app asked for', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);

    const channel = await originate(client, '+923001234567', {
      channelId: 'call-1',
      appArgs: 'tenant-a,call-1',
      callerId: '"Calltrail" <+15550100>',
      variables: { CALLTRAIL_CALL_ID: 'call-1' },
    });
    expect(channel).toMatchObject({ id: 'call-1', state: 'Down', caller: { name: 'Calltrail', number: '+15550100' } });

    const started = await waitFor('StasisStart', () => aboutChannel(events, 'call-1').find((e) => e.type === 'StasisStart'));
    expect(started.args).toEqual(['tenant-a', 'call-1']);
    expect(started.channel?.channelvars).toEqual({ CALLTRAIL_CALL_ID: 'call-1' });
    expect(started.application).toBe(APP);
    expect(started.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    const playback = await client.channels['play']!({ channelId: 'call-1', media: 'sound:hello-world' });
    expect(playback).toMatchObject({ media_uri: 'sound:hello-world', target_uri: 'channel:call-1', state: 'queued' });
    await waitFor('PlaybackFinished', () => aboutChannel(events, 'call-1').find((e) => e.type === 'PlaybackFinished'));

    await client.channels['hangup']!({ channelId: 'call-1' });
    const destroyed = await waitFor('ChannelDestroyed', () => ended(events, 'call-1'));
    expect(destroyed).toMatchObject({ cause: 16, cause_txt: 'Normal Clearing' });
    expect(sequence(events, 'call-1')).toEqual([
      'ChannelStateChange:Ringing',
      'ChannelStateChange:Up',
      'StasisStart',
      'PlaybackStarted:playing',
      'PlaybackFinished:done',
      'ChannelHangupRequest:16',
      'StasisEnd',
      'ChannelDestroyed:16',
    ]);
    const playbackEvents = aboutChannel(events, 'call-1').filter((e) => e.playback);
    expect(millisBetween(playbackEvents[0]!.timestamp, playbackEvents[1]!.timestamp)).toBe(2000);
    expect(simulator.channels()).toEqual([]);
  });

  it.each([
    ['busy', '+923001230486', ['ChannelDestroyed:17'], 'User busy'],
    ['unallocated', '+923001230404', ['ChannelDestroyed:1'], 'Unallocated (unassigned) number'],
    ['congestion', '+923001230503', ['ChannelDestroyed:34'], 'Circuit/channel congestion'],
    ['rejected', '+923001230603', ['ChannelStateChange:Ringing', 'ChannelDestroyed:21'], 'Call Rejected'],
    ['no answer', '+923001230408', ['ChannelStateChange:Ringing', 'ChannelDestroyed:19'], 'User alerting, no answer'],
  ])('%s: never enters Stasis and is destroyed with its cause', async (_name, number, expected, causeText) => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    const channel = await originate(client, number, { timeout: 5 });
    const destroyed = await waitFor('ChannelDestroyed', () => ended(events, channel.id!));
    expect(sequence(events, channel.id!)).toEqual(expected);
    expect(destroyed.cause_txt).toBe(causeText);
  });

  it('gives up on a number that never answers when the originate timeout runs out', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    const channel = await originate(client, '+923001230408', { timeout: 7 });
    const destroyed = await waitFor('ChannelDestroyed', () => ended(events, channel.id!));
    expect(millisBetween(destroyed.channel!.creationtime, destroyed.timestamp)).toBe(7000);
  });

  it('answers after NN seconds of ringing, or not at all when NN exceeds the timeout', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    const slow = await originate(client, '+923001230203', { timeout: 10 });
    const tooSlow = await originate(client, '+923001230240', { timeout: 10 });
    const started = await waitFor('StasisStart', () => aboutChannel(events, slow.id!).find((e) => e.type === 'StasisStart'));
    expect(millisBetween(started.channel!.creationtime, started.timestamp)).toBe(3000);
    const gaveUp = await waitFor('ChannelDestroyed', () => ended(events, tooSlow.id!));
    expect(gaveUp.cause).toBe(19);
    expect(sequence(events, tooSlow.id!)).not.toContain('StasisStart');
  });

  it('lets the callee hang up NN seconds after answering (cause 16)', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    const channel = await originate(client, '+923001230105');
    const destroyed = await waitFor('ChannelDestroyed', () => ended(events, channel.id!));
    expect(sequence(events, channel.id!)).toEqual([
      'ChannelStateChange:Ringing',
      'ChannelStateChange:Up',
      'StasisStart',
      'ChannelHangupRequest:16',
      'StasisEnd',
      'ChannelDestroyed:16',
    ]);
    const answered = aboutChannel(events, channel.id!).find((e) => e.type === 'StasisStart')!;
    expect(millisBetween(answered.timestamp, destroyed.timestamp)).toBe(5000);
  });

  it('delivers the digits the callee presses', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    const channel = await originate(client, '+923001230712');
    await waitFor('two digits', () => aboutChannel(events, channel.id!).filter((e) => e.type === 'ChannelDtmfReceived').length === 2);
    const digits = aboutChannel(events, channel.id!).filter((e) => e.type === 'ChannelDtmfReceived');
    expect(digits.map((e) => [e.digit, e.duration_ms])).toEqual([
      ['1', 100],
      ['2', 100],
    ]);
    expect(millisBetween(digits[0]!.timestamp, digits[1]!.timestamp)).toBe(500);
  });

  it('follows custom rules passed in the options', async () => {
    const simulator = await startSim({
      rules: [{ name: 'busy after ringing', when: /5555$/, script: { outcome: 'fail', cause: 17, ringingAfterMs: 100, failAfterMs: 900 } }],
    });
    const { client, events } = await connect(simulator);
    const channel = await originate(client, '+15550105555');
    await waitFor('ChannelDestroyed', () => ended(events, channel.id!));
    expect(sequence(events, channel.id!)).toEqual(['ChannelStateChange:Ringing', 'ChannelDestroyed:17']);
  });

  it('refuses a second originate with the id of a live channel (409), so a retry cannot dial twice', async () => {
    const simulator = await startSim();
    const { client } = await connect(simulator);
    await originate(client, '+923001234567', { channelId: 'call-2' });
    await expect(originate(client, '+923001234567', { channelId: 'call-2' })).rejects.toThrow(
      'Channel with given unique ID already exists',
    );
    const raw = await fetch(`${simulator.url}/ari/channels/call-2?endpoint=PJSIP/+923001234567@carrier&app=${APP}`, {
      method: 'POST',
      headers: basicAuth(simulator),
    });
    expect(raw.status).toBe(409);
    expect(simulator.originated().map((o) => [o.channelId, o.result])).toEqual([
      ['call-2', 'created'],
      ['call-2', 'duplicate'],
      ['call-2', 'duplicate'],
    ]);
    expect(simulator.channels().map((c) => c.id)).toEqual(['call-2']);
  });

  it('answers play and record with 201 and a Location, stores the recording, and hangs up with 204', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    await originate(client, '+923001234567', { channelId: 'call-3' });
    await waitFor('StasisStart', () => aboutChannel(events, 'call-3').some((e) => e.type === 'StasisStart'));
    const auth = basicAuth(simulator);

    const play = await fetch(`${simulator.url}/ari/channels/call-3/play?media=sound:beep&playbackId=pb-1`, { method: 'POST', headers: auth });
    expect(play.status).toBe(201);
    expect(play.headers.get('location')).toBe('/playbacks/pb-1');
    expect(await play.json()).toMatchObject({ id: 'pb-1', state: 'queued' });

    const record = await fetch(`${simulator.url}/ari/channels/call-3/record?name=call-3-audio&format=wav`, { method: 'POST', headers: auth });
    expect(record.status).toBe(201);
    expect(record.headers.get('location')).toBe('/recordings/live/call-3-audio');
    await waitFor('RecordingStarted', () => aboutChannel(events, 'call-3').some((e) => e.type === 'RecordingStarted'));
    await new Promise((resolve) => setTimeout(resolve, 40)); // 4 s of simulated recording

    const hangup = await fetch(`${simulator.url}/ari/channels/call-3?reason_code=normal`, { method: 'DELETE', headers: auth });
    expect(hangup.status).toBe(204);
    const again = await fetch(`${simulator.url}/ari/channels/call-3`, { method: 'DELETE', headers: auth });
    expect(again.status).toBe(404);

    const finished = aboutChannel(events, 'call-3').find((e) => e.type === 'RecordingFinished');
    expect(finished?.recording).toMatchObject({ name: 'call-3-audio', format: 'wav', state: 'done' });
    const [stored] = simulator.recordings();
    expect(stored).toMatchObject({ name: 'call-3-audio', channelId: 'call-3', durationSeconds: finished?.recording?.duration });
    expect(stored!.durationSeconds).toBeGreaterThanOrEqual(4);

    const file = await fetch(`${simulator.url}/ari/recordings/stored/call-3-audio/file`, { headers: auth });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(wavDurationMs(bytes)).toBe(stored!.durationSeconds * 1000);

    const viaClient = (await client.recordings['getStoredFile']!({ recordingName: 'call-3-audio' })) as Buffer;
    expect(Buffer.isBuffer(viaClient)).toBe(true);
    expect(viaClient.subarray(0, 4).toString('latin1')).toBe('RIFF');
    const listed = (await client.recordings['listStored']!()) as AriResource[];
    expect(listed.map((r) => r.name)).toEqual(['call-3-audio']);

    await client.recordings['deleteStored']!({ recordingName: 'call-3-audio' });
    expect(simulator.recordings()).toEqual([]);
  });

  it('stops a live recording on request and refuses play on a channel that has not answered', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    await originate(client, '+923001230220', { channelId: 'ringing-call', timeout: 60 });
    await expect(client.channels['play']!({ channelId: 'ringing-call', media: 'sound:x' })).rejects.toThrow('not in Stasis');
    await originate(client, '+923001234567', { channelId: 'call-4' });
    await waitFor('StasisStart', () => aboutChannel(events, 'call-4').some((e) => e.type === 'StasisStart'));
    await client.channels['record']!({ channelId: 'call-4', name: 'r4', format: 'wav' });
    await waitFor('RecordingStarted', () => aboutChannel(events, 'call-4').some((e) => e.type === 'RecordingStarted'));
    await client.recordings['stop']!({ recordingName: 'r4' });
    await waitFor('RecordingFinished', () => aboutChannel(events, 'call-4').some((e) => e.type === 'RecordingFinished'));
    expect(simulator.recordings().map((r) => r.name)).toEqual(['r4']);
    expect(simulator.channels().find((c) => c.id === 'call-4')?.state).toBe('Up');
  });

  it('fetches http media before playing it, and fails the playback when the fetch fails', async () => {
    const media = createServer((req, res) => {
      if (req.url === '/hello.wav') {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(silentWav(3)); // WAV by its body
      } else if (req.url === '/page') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html></html>');
      } else {
        res.writeHead(404).end();
      }
    });
    extraServers.push(media);
    await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;

    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    await originate(client, '+923001234567', { channelId: 'call-5' });
    await waitFor('StasisStart', () => aboutChannel(events, 'call-5').some((e) => e.type === 'StasisStart'));

    const played = async (path: string) => {
      const playback = (await client.channels['play']!({ channelId: 'call-5', media: `sound:${base}${path}` })) as { id: string };
      const finished = await waitFor(`PlaybackFinished for ${path}`, () =>
        events.find((e) => e.type === 'PlaybackFinished' && e.playback?.id === playback.id),
      );
      return { finished, started: events.find((e) => e.type === 'PlaybackStarted' && e.playback?.id === playback.id) };
    };

    const good = await played('/hello.wav');
    expect(good.finished.playback?.state).toBe('done');
    expect(good.started?.playback?.media_uri).toBe(`sound:${base}/hello.wav`);
    expect(millisBetween(good.started!.timestamp, good.finished.timestamp)).toBe(3000);

    for (const path of ['/missing', '/page']) {
      const bad = await played(path);
      expect(bad.started, path).toBeUndefined();
      expect(bad.finished.playback?.state, path).toBe('failed');
    }
  });

  it('reads and sets channel variables, lists applications and answers 404 for unknown things', async () => {
    const simulator = await startSim();
    const { client } = await connect(simulator);
    await originate(client, '+923001234567', { channelId: 'call-6', variables: { A: '1' } });
    expect(await client.channels['getChannelVar']!({ channelId: 'call-6', variable: 'A' })).toEqual({ value: '1' });
    await client.channels['setChannelVar']!({ channelId: 'call-6', variable: 'B', value: '2' });
    expect(simulator.channels()[0]?.variables).toEqual({ A: '1', B: '2' });
    await expect(client.channels['get']!({ channelId: 'nope' })).rejects.toThrow('Channel not found');
    const apps = (await client.applications['list']!()) as Array<{ name: string; channel_ids: string[] }>;
    expect(apps).toEqual([expect.objectContaining({ name: APP, channel_ids: ['call-6'] })]);
    const unknown = await fetch(`${simulator.url}/ari/bridges`, { headers: basicAuth(simulator) });
    expect(unknown.status).toBe(404);
  });

  it('rewrites basePath from the Host header, as Asterisk does', async () => {
    const simulator = await startSim();
    const { port } = new URL(simulator.url);
    const get = (path: string) =>
      new Promise<{ basePath: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path, headers: { host: 'pbx.example:8088', ...basicAuth(simulator) } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve(JSON.parse(body) as { basePath: string }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect((await get('/ari/api-docs/resources.json')).basePath).toBe('http://pbx.example:8088/ari');
    expect((await get('/ari/api-docs/channels.json')).basePath).toBe('http://pbx.example:8088/ari');
  });

  it('answers 401 to bad credentials, on REST and on the events socket', async () => {
    const simulator = await startSim();
    expect((await fetch(`${simulator.url}/ari/channels`)).status).toBe(401);
    expect((await fetch(`${simulator.url}/ari/channels`, { headers: basicAuth(simulator, 'wrong') })).status).toBe(401);
    expect((await fetch(`${simulator.url}/ari/channels?api_key=${simulator.username}:wrong`)).status).toBe(401);
    expect((await fetch(`${simulator.url}/ari/channels`, { headers: basicAuth(simulator) })).status).toBe(200);

    const upgradeStatus = (apiKey: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${simulator.url.replace('http', 'ws')}/ari/events?app=${APP}&api_key=${apiKey}`);
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('error', (error) => reject(error));
      });
    expect(await upgradeStatus(`${simulator.username}:wrong`)).toBe(401);
    expect(await upgradeStatus(`${simulator.username}:${simulator.password}`)).toBe(101);
  });
});

describe('ARI simulator: a media queue per channel, and snoop channels', () => {
  const eventOf = (events: AriEventJson[], channelId: string, type: string) =>
    aboutChannel(events, channelId).find((event) => event.type === type);

  async function answered(client: AriClientInstance, events: AriEventJson[], channelId: string): Promise<void> {
    await originate(client, '+923001234567', { channelId });
    await waitFor('StasisStart', () => eventOf(events, channelId, 'StasisStart'));
  }

  it('runs a play asked for during a record only once the record ends, and a record behind a play likewise', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    await answered(client, events, 'q-1');
    await client.channels['record']!({ channelId: 'q-1', name: 'q-1-rec', format: 'wav', maxDurationSeconds: 5 });
    const queued = await client.channels['play']!({ channelId: 'q-1', media: 'sound:hello-world', playbackId: 'q-1-play' });
    expect(queued).toMatchObject({ state: 'queued' });
    await client.channels['record']!({ channelId: 'q-1', name: 'q-1-rec-2', format: 'wav', maxDurationSeconds: 1 });
    await waitFor('the second RecordingFinished', () =>
      aboutChannel(events, 'q-1').find((e) => e.type === 'RecordingFinished' && e.recording?.name === 'q-1-rec-2'),
    );
    expect(sequence(events, 'q-1').slice(3)).toEqual([
      'RecordingStarted',
      'RecordingFinished',
      'PlaybackStarted:playing',
      'PlaybackFinished:done',
      'RecordingStarted',
      'RecordingFinished',
    ]);
    const media = aboutChannel(events, 'q-1').filter((e) => e.recording || e.playback);
    expect(millisBetween(media[0]!.timestamp, media[1]!.timestamp)).toBe(5000);
    expect(millisBetween(media[1]!.timestamp, media[2]!.timestamp)).toBeGreaterThanOrEqual(0);
    expect(millisBetween(media[2]!.timestamp, media[3]!.timestamp)).toBe(2000);
    expect(simulator.recordings().map((r) => [r.name, r.durationSeconds])).toEqual([
      ['q-1-rec', 5],
      ['q-1-rec-2', 1],
    ]);
  });

  it('a hangup ends what runs and drops what waits: a queued play never starts', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    await answered(client, events, 'q-2');
    await client.channels['record']!({ channelId: 'q-2', name: 'q-2-rec', format: 'wav' });
    await client.channels['play']!({ channelId: 'q-2', media: 'sound:hello-world' });
    await waitFor('RecordingStarted', () => eventOf(events, 'q-2', 'RecordingStarted'));
    await client.channels['hangup']!({ channelId: 'q-2' });
    await waitFor('ChannelDestroyed', () => ended(events, 'q-2'));
    expect(sequence(events, 'q-2').slice(3)).toEqual([
      'RecordingStarted',
      'ChannelHangupRequest:16',
      'PlaybackFinished:done',
      'RecordingFinished',
      'StasisEnd',
      'ChannelDestroyed:16',
    ]);
  });

  it('makes a snoop channel that enters Stasis, records without holding back a play on the spied channel, and ends with it', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    await answered(client, events, 'spied');
    const snoop = await client.channels['snoopChannel']!({ channelId: 'spied', spy: 'both', app: APP, appArgs: 'rec,1', snoopId: 'snoop-1' });
    expect(snoop).toMatchObject({ id: 'snoop-1', state: 'Up' });
    expect(snoop.name).toMatch(/^Snoop\/spied-[0-9a-f]{8}$/);
    const started = await waitFor('the snoop StasisStart', () => eventOf(events, 'snoop-1', 'StasisStart'));
    expect(started.args).toEqual(['rec', '1']);
    expect(simulator.channels().find((c) => c.id === 'snoop-1')?.snooping).toEqual({ channelId: 'spied', spy: 'both', whisper: 'none' });

    await client.channels['record']!({ channelId: 'snoop-1', name: 'spied-rec', format: 'wav' });
    await client.channels['play']!({ channelId: 'spied', media: 'sound:hello-world' });
    await waitFor('PlaybackFinished', () => eventOf(events, 'spied', 'PlaybackFinished'));
    expect(eventOf(events, 'snoop-1', 'RecordingFinished')).toBeUndefined();

    await client.channels['hangup']!({ channelId: 'spied' });
    await waitFor('the snoop ChannelDestroyed', () => ended(events, 'snoop-1'));
    // The snoop is not hung up by anyone: it ends because there is nothing left to hear.
    expect(sequence(events, 'snoop-1')).toEqual(['StasisStart', 'RecordingStarted', 'RecordingFinished', 'StasisEnd', 'ChannelDestroyed:16']);
    const spiedGone = events.indexOf(ended(events, 'spied')!);
    expect(events.indexOf(ended(events, 'snoop-1')!)).toBeGreaterThan(spiedGone);
    expect(simulator.recordings()).toMatchObject([{ name: 'spied-rec', channelId: 'snoop-1' }]);
    expect(simulator.channels()).toEqual([]);
  });

  it('takes a snoop id in the path too, and refuses bad snoop requests as Asterisk would', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    await answered(client, events, 'spied-2');
    const withId = await client.channels['snoopChannelWithId']!({ channelId: 'spied-2', snoopId: 'snoop-2', spy: 'in', app: APP });
    expect(withId).toMatchObject({ id: 'snoop-2', state: 'Up' });
    const generated = await client.channels['snoopChannel']!({ channelId: 'spied-2', whisper: 'out', app: APP });
    expect(generated.id).toMatch(/^\d+\.\d+$/);

    const post = (path: string) => fetch(`${simulator.url}/ari${path}`, { method: 'POST', headers: basicAuth(simulator) });
    expect((await post(`/channels/spied-2/snoop?spy=both`)).status).toBe(400); // no app
    expect((await post(`/channels/spied-2/snoop?app=${APP}`)).status).toBe(400); // neither spy nor whisper
    expect((await post(`/channels/spied-2/snoop?app=${APP}&spy=sideways`)).status).toBe(400);
    expect((await post(`/channels/nobody/snoop?app=${APP}&spy=both`)).status).toBe(404);
    expect((await post(`/channels/spied-2/snoop/snoop-2?app=${APP}&spy=both`)).status).toBe(409);

    await client.channels['hangup']!({ channelId: 'snoop-2' });
    await waitFor('snoop-2 destroyed', () => ended(events, 'snoop-2'));
    expect(simulator.channels().find((c) => c.id === 'spied-2')?.state).toBe('Up');
  });
});

describe('ARI simulator faults', () => {
  it('dropWebSockets: channels keep running and the client reconnects', async () => {
    const simulator = await startSim();
    const { client, events, connections } = await connect(simulator);
    await originate(client, '+923001234567', { channelId: 'call-7' });
    await waitFor('StasisStart', () => aboutChannel(events, 'call-7').some((e) => e.type === 'StasisStart'));

    simulator.dropWebSockets();
    expect(simulator.channels().map((c) => [c.id, c.state])).toEqual([['call-7', 'Up']]);
    await waitFor('reconnect', () => connections() === 2);
    await client.channels['hangup']!({ channelId: 'call-7' });
    const destroyed = await waitFor('ChannelDestroyed after reconnect', () => ended(events, 'call-7'));
    expect(destroyed.cause).toBe(16);
  });

  it('restart: forgets every channel, changes its startup time and accepts connections again', async () => {
    const simulator = await startSim();
    const { client, events, connections } = await connect(simulator);
    const before = (await client.asterisk['getInfo']!()) as { status: { startup_time: string } };
    await originate(client, '+923001234567', { channelId: 'call-8' });
    await waitFor('StasisStart', () => aboutChannel(events, 'call-8').some((e) => e.type === 'StasisStart'));

    await simulator.restart({ downForMs: 50 });
    expect(simulator.channels()).toEqual([]);
    await expect(client.channels['get']!({ channelId: 'call-8' })).rejects.toThrow('Channel not found');
    const after = (await client.asterisk['getInfo']!()) as { status: { startup_time: string } };
    expect(after.status.startup_time > before.status.startup_time).toBe(true);
    expect(ended(events, 'call-8')).toBeUndefined(); // a restarted Asterisk says nothing about the calls it lost

    await waitFor('reconnect', () => connections() === 2);
    await originate(client, '+923001234567', { channelId: 'call-8' }); // the id is free again
    await waitFor('StasisStart after restart', () => aboutChannel(events, 'call-8').some((e) => e.type === 'StasisStart'));
  });

  it('setEventDelay: events arrive late but in order', async () => {
    const simulator = await startSim();
    const { client, events } = await connect(simulator);
    simulator.setEventDelay(1000);
    const sentAt = Date.now();
    const channel = await originate(client, '+923001230603');
    await waitFor('the simulator to end the call', () => simulator.channels().length === 0);
    const goneAt = Date.now();
    expect(aboutChannel(events, channel.id!)).toEqual([]); // ringing and hangup both still on their way
    await waitFor('ChannelDestroyed', () => ended(events, channel.id!));
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1000);
    expect(goneAt - sentAt).toBeLessThan(1000);
    expect(sequence(events, channel.id!)).toEqual(['ChannelStateChange:Ringing', 'ChannelDestroyed:21']);

    simulator.setEventDelay(0);
    const quick = await originate(client, '+923001230486');
    await waitFor('ChannelDestroyed without delay', () => ended(events, quick.id!), 800);
  });

  it('setDown: refuses HTTP with 503 and drops sockets until it is back', async () => {
    const simulator = await startSim();
    const { client, connections } = await connect(simulator);
    simulator.setDown(true);
    expect((await fetch(`${simulator.url}/ari/channels`, { headers: basicAuth(simulator) })).status).toBe(503);
    await expect(client.channels['list']!()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 150)); // let the client's first reconnect attempt hit the outage
    expect(connections()).toBe(1);

    simulator.setDown(false);
    await waitFor('reconnect', () => connections() === 2);
    expect(await client.channels['list']!()).toEqual([]);
  });

  it('call-rate limit per trunk: attempts beyond the cap fail like a carrier cap breach (cause 34)', async () => {
    const simulator = await startSim({ callRateLimit: { maxCalls: 2, windowMs: 60_000 } });
    const { client, events } = await connect(simulator);
    const first = await originate(client, '+923001234567');
    const second = await originate(client, '+923001234568');
    const third = await originate(client, '+923001234569');
    const otherTrunk = await client.channels['originate']!({ endpoint: 'PJSIP/+923001234560@backup', app: APP });

    expect((await waitFor('third ended', () => ended(events, third.id!))).cause).toBe(34);
    for (const answered of [first, second, otherTrunk]) {
      await waitFor('StasisStart', () => aboutChannel(events, answered.id!).some((e) => e.type === 'StasisStart'));
    }
    simulator.setCallRateLimit(null);
    const fourth = await originate(client, '+923001234561');
    await waitFor('StasisStart', () => aboutChannel(events, fourth.id!).some((e) => e.type === 'StasisStart'));
  });
});
