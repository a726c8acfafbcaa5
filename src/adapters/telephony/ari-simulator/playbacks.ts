import { probeHttpMedia } from './media-probe.ts';
import { playbackKey } from './media-queue.ts';
import { playbackJson } from './render.ts';
import type { SimChannel, SimPlayback, SimWorld } from './world.ts';

/** Schemes Asterisk plays from its own resources; the simulator gives each `playbackMs`. */
const LOCAL_SCHEMES = ['sound:', 'recording:', 'tone:', 'digits:', 'number:', 'characters:'];

export function startPlayback(
  world: SimWorld,
  channel: SimChannel,
  id: string,
  media: readonly string[],
  language: string,
): SimPlayback {
  const playback: SimPlayback = { id, channelId: channel.id, media: media.join(','), language, state: 'queued' };
  world.playbacks.set(id, playback);
  channel.playbackIds.add(id);
  // Whatever already runs or waits on this channel goes first, as on Asterisk (media-queue.ts).
  channel.media.enqueue(playbackKey(id), () =>
    // Begin on the next turn so the 201 reply is written before the first event.
    channel.timers.after(0, () => void begin(world, channel, playback, media)),
  );
  return playback;
}

async function begin(world: SimWorld, channel: SimChannel, playback: SimPlayback, media: readonly string[]): Promise<void> {
  let totalMs = 0;
  for (const uri of media) {
    const length = await mediaLengthMs(world, uri);
    if (!isCurrent(world, playback)) return; // stopped, hung up or restarted while fetching
    if (length === null) {
      finishPlayback(world, channel, playback, 'failed');
      return;
    }
    totalMs += length;
  }
  playback.state = 'playing';
  const startedAtMs = world.channelNowMs(channel);
  world.emit(channel, 'PlaybackStarted', { playback: playbackJson(playback) }, startedAtMs);
  world.schedule(channel, startedAtMs + totalMs, (atMs) => finishPlayback(world, channel, playback, 'done', atMs));
}

/** Simulated length of one media URI, or null when it cannot be played. */
async function mediaLengthMs(world: SimWorld, uri: string): Promise<number | null> {
  const httpUrl = /^sound:(https?:\/\/.+)$/i.exec(uri)?.[1];
  if (httpUrl !== undefined) {
    const abort = new AbortController();
    world.mediaFetches.add(abort);
    try {
      const probe = await probeHttpMedia(httpUrl, world.config.mediaFetchTimeoutMs, abort);
      if (!probe.ok) return null;
      return probe.durationMs ?? world.config.playbackMs;
    } finally {
      world.mediaFetches.delete(abort);
    }
  }
  return LOCAL_SCHEMES.some((scheme) => uri.startsWith(scheme) && uri.length > scheme.length) ? world.config.playbackMs : null;
}

function isCurrent(world: SimWorld, playback: SimPlayback): boolean {
  return world.playbacks.get(playback.id) === playback;
}

/** Ends a playback once: by running out, by being stopped, by failing, or with its channel. */
export function finishPlayback(
  world: SimWorld,
  channel: SimChannel,
  playback: SimPlayback,
  state: 'done' | 'failed',
  atMs = world.channelNowMs(channel),
): void {
  if (!isCurrent(world, playback)) return;
  world.playbacks.delete(playback.id);
  channel.playbackIds.delete(playback.id);
  playback.state = state;
  world.emit(channel, 'PlaybackFinished', { playback: playbackJson(playback) }, atMs);
  channel.media.finished(playbackKey(playback.id));
}
