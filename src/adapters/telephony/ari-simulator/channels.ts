import { CAUSE, causeText } from './causes.ts';
import type { ParsedEndpoint } from './endpoint.ts';
import { finishPlayback } from './playbacks.ts';
import { finishRecording } from './recordings.ts';
import { channelJson } from './render.ts';
import type { CallScript } from './rules.ts';
import { MediaQueue } from './media-queue.ts';
import { TimerGroup } from './timers.ts';
import type { SimChannel, SimWorld } from './world.ts';

export type NewChannel = {
  readonly channelId: string | undefined;
  readonly endpoint: string;
  readonly parsed: ParsedEndpoint;
  readonly app: string;
  readonly appArgs: string;
  readonly callerId: string;
  /** Seconds to ring before giving up; -1 or 0 for no limit. */
  readonly timeoutSeconds: number;
  readonly variables: Readonly<Record<string, string>>;
};

/** Creates the channel (state Down) and sets its script running. */
export function createChannel(world: SimWorld, request: NewChannel, script: CallScript): SimChannel {
  const sequence = world.nextChannelSequence();
  const createdAtMs = world.clock.nowMs();
  const channel = newSimChannel({
    id: request.channelId ?? asteriskUniqueId(createdAtMs, sequence),
    name: `${request.parsed.technology}/${request.parsed.trunk}-${sequence.toString(16).padStart(8, '0')}`,
    endpoint: request.endpoint,
    technology: request.parsed.technology,
    trunk: request.parsed.trunk,
    digits: request.parsed.digits,
    app: request.app,
    args: request.appArgs === '' ? [] : request.appArgs.split(','),
    caller: parseCallerId(request.callerId),
    originateVariableNames: Object.keys(request.variables),
    variables: new Map(Object.entries(request.variables)),
    createdAtMs,
    ringTimeoutMs: request.timeoutSeconds > 0 ? request.timeoutSeconds * 1000 : null,
    state: 'Down',
    snooping: null,
  });
  world.channels.set(channel.id, channel);
  world.noteChannelCreated(channel.id);
  runScript(world, channel, script);
  return channel;
}

type ChannelIdentity = Omit<
  SimChannel,
  'timers' | 'lastEventAtMs' | 'inStasis' | 'ended' | 'playbackIds' | 'recordingNames' | 'media' | 'snoopIds'
>;

/** A channel record with nothing running on it yet. */
export function newSimChannel(identity: ChannelIdentity): SimChannel {
  return {
    ...identity,
    timers: new TimerGroup(),
    lastEventAtMs: identity.createdAtMs,
    inStasis: false,
    ended: false,
    playbackIds: new Set(),
    recordingNames: new Set(),
    media: new MediaQueue(),
    snoopIds: new Set(),
  };
}

/** Asterisk's own channel ids: creation time in seconds, a dot, a counter. */
export const asteriskUniqueId = (createdAtMs: number, sequence: number): string => `${Math.floor(createdAtMs / 1000)}.${sequence}`;

/** `"Alice" <+15550100>` or a bare number. */
function parseCallerId(callerId: string): { name: string; number: string } {
  const named = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(callerId);
  if (named) return { name: named[1] ?? '', number: named[2] ?? '' };
  return { name: '', number: callerId.trim() };
}

function runScript(world: SimWorld, channel: SimChannel, script: CallScript): void {
  const at = (offsetMs: number, run: (atMs: number) => void) => world.schedule(channel, channel.createdAtMs + offsetMs, run);
  const timeout = channel.ringTimeoutMs ?? Infinity;
  const ringAt = script.ringingAfterMs;
  const endsAt = script.outcome === 'answer' ? script.answerAfterMs : script.outcome === 'fail' ? script.failAfterMs : Infinity;

  if (ringAt !== null && ringAt < Math.min(endsAt, timeout)) at(ringAt, (atMs) => setState(world, channel, 'Ringing', atMs));
  if (endsAt >= timeout) {
    // Nobody picked up (or it failed too late): the originate gave up dialling first.
    if (timeout !== Infinity) at(timeout, (atMs) => destroyChannel(world, channel, CAUSE.NO_ANSWER, null, atMs));
    return;
  }
  if (endsAt === Infinity) return; // no answer and no ring timeout: it rings until hung up
  if (script.outcome === 'fail') at(endsAt, (atMs) => destroyChannel(world, channel, script.cause, null, atMs));
  if (script.outcome === 'answer') at(endsAt, (atMs) => answer(world, channel, script, atMs));
}

function setState(world: SimWorld, channel: SimChannel, state: SimChannel['state'], atMs: number): void {
  channel.state = state;
  world.emit(channel, 'ChannelStateChange', { channel: channelJson(channel) }, atMs);
}

function answer(world: SimWorld, channel: SimChannel, script: Extract<CallScript, { outcome: 'answer' }>, answeredAtMs: number): void {
  setState(world, channel, 'Up', answeredAtMs);
  channel.inStasis = true;
  world.emit(channel, 'StasisStart', { args: channel.args, channel: channelJson(channel) }, answeredAtMs);
  const afterAnswer = (offsetMs: number, run: (atMs: number) => void) => world.schedule(channel, answeredAtMs + offsetMs, run);
  if (script.dtmf) {
    const { digits, afterAnswerMs, gapMs } = script.dtmf;
    [...digits].forEach((digit, index) => {
      afterAnswer(afterAnswerMs + index * gapMs, (atMs) =>
        world.emit(channel, 'ChannelDtmfReceived', { digit, duration_ms: 100, channel: channelJson(channel) }, atMs),
      );
    });
  }
  if (script.calleeHangupAfterMs !== undefined) {
    afterAnswer(script.calleeHangupAfterMs, (atMs) =>
      destroyChannel(world, channel, CAUSE.NORMAL_CLEARING, { soft: false }, atMs),
    );
  }
}

/**
 * Ends the channel once. `request` is set when someone asked for the hangup (the app, or the callee
 * hanging up), which Asterisk reports as ChannelHangupRequest; a failed dial just ends.
 */
export function destroyChannel(
  world: SimWorld,
  channel: SimChannel,
  cause: number,
  request: { soft: boolean } | null,
  atMs = world.channelNowMs(channel),
): void {
  if (channel.ended || world.channels.get(channel.id) !== channel) return;
  channel.ended = true;
  channel.timers.cancelAll();
  channel.media.close();
  if (request !== null) {
    const soft = request.soft ? { soft: true } : {};
    world.emit(channel, 'ChannelHangupRequest', { cause, ...soft, channel: channelJson(channel) }, atMs);
  }
  for (const playbackId of [...channel.playbackIds]) {
    const playback = world.playbacks.get(playbackId);
    if (playback) finishPlayback(world, channel, playback, 'done', atMs);
  }
  for (const name of [...channel.recordingNames]) {
    const recording = world.liveRecordings.get(name);
    if (recording) finishRecording(world, channel, recording, atMs);
  }
  if (channel.inStasis) world.emit(channel, 'StasisEnd', { channel: channelJson(channel) }, atMs);
  world.channels.delete(channel.id);
  world.emit(channel, 'ChannelDestroyed', { cause, cause_txt: causeText(cause), channel: channelJson(channel) }, atMs);
  if (channel.snooping !== null) world.channels.get(channel.snooping.channelId)?.snoopIds.delete(channel.id);
  // A snoop has nothing left to listen to once its channel is gone, so Asterisk ends it too.
  for (const snoopId of [...channel.snoopIds]) {
    const snoop = world.channels.get(snoopId);
    if (snoop) destroyChannel(world, snoop, CAUSE.NORMAL_CLEARING, null, atMs);
  }
}
