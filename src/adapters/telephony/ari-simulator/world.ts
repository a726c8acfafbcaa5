import type { AriEventPayloads, AriEventType, AriChannelState, AriPlaybackState, AriLiveRecordingState } from './ari-json.ts';
import type { EventHub } from './event-hub.ts';
import type { MediaQueue } from './media-queue.ts';
import type { OutcomeRule } from './rules.ts';
import { asteriskTimestamp, type SimClock } from './sim-clock.ts';
import { TimerGroup } from './timers.ts';

/**
 * Everything the simulated PBX knows right now. Channels, playbacks and live recordings vanish on
 * `restart()`; stored recordings survive it, as files on disk would.
 */

export type SimChannel = {
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly technology: string;
  readonly trunk: string;
  /** The dialled number's digits, without `+`. */
  readonly digits: string;
  readonly app: string;
  readonly args: readonly string[];
  readonly caller: { readonly name: string; readonly number: string };
  /** Names set by the originate's `variables`; reported back as `channelvars`. */
  readonly originateVariableNames: readonly string[];
  readonly variables: Map<string, string>;
  readonly createdAtMs: number;
  /** Simulated milliseconds to ring before giving up, or null for no limit. */
  readonly ringTimeoutMs: number | null;
  /** Owns every timer scheduled for this channel, its playbacks and its recording. */
  readonly timers: TimerGroup;
  state: AriChannelState;
  /** Timestamps on one channel's events never go backwards, even when a timer fires late. */
  lastEventAtMs: number;
  inStasis: boolean;
  ended: boolean;
  readonly playbackIds: Set<string>;
  /** Live recordings of this channel, running or waiting in its media queue. */
  readonly recordingNames: Set<string>;
  /** Plays and records take turns here, as on Asterisk. */
  readonly media: MediaQueue;
  /** For a snoop channel: the channel it listens to, and in which directions. */
  readonly snooping: SnoopTarget | null;
  /** Snoop channels listening to this one; they end when it ends. */
  readonly snoopIds: Set<string>;
};

export type SnoopTarget = { readonly channelId: string; readonly spy: string; readonly whisper: string };

export type SimPlayback = {
  readonly id: string;
  readonly channelId: string;
  readonly media: string;
  readonly language: string;
  state: AriPlaybackState;
};

export type SimLiveRecording = {
  readonly name: string;
  readonly format: string;
  readonly channelId: string;
  /** Set once it leaves the channel's media queue and starts; null while it waits. */
  startedAtMs: number | null;
  state: AriLiveRecordingState;
};

export type SimStoredRecording = {
  readonly name: string;
  readonly format: string;
  readonly channelId: string;
  readonly durationSeconds: number;
};

export type OriginateRecord = {
  readonly channelId: string;
  readonly endpoint: string;
  readonly app: string | null;
  readonly receivedAt: string;
  /** created: a channel was made; duplicate: 409; refused: 400. */
  readonly result: 'created' | 'duplicate' | 'refused';
};

export type SimConfig = {
  readonly rules: readonly OutcomeRule[];
  readonly playbackMs: number;
  readonly mediaFetchTimeoutMs: number;
  readonly asteriskId: string;
};

const MAX_ORIGINATE_RECORDS = 10_000;
/** Channel ids whose created-channel count is kept; beyond it the oldest are forgotten. */
const MAX_COUNTED_CHANNEL_IDS = 200_000;

export class SimWorld {
  readonly channels = new Map<string, SimChannel>();
  readonly playbacks = new Map<string, SimPlayback>();
  readonly liveRecordings = new Map<string, SimLiveRecording>();
  readonly storedRecordings = new Map<string, SimStoredRecording>();
  readonly originates: OriginateRecord[] = [];
  /**
   * How many channels each channel id was created with (a second one means the id was dialled
   * twice), and the most channels ever live at once. Unlike `originates`, nothing here is trimmed
   * by a long run's first 10 000 calls, so a crash test can check every attempt it made.
   */
  readonly createdPerChannelId = new Map<string, number>();
  peakLiveChannels = 0;
  /** Media fetches in flight, aborted on close so no request outlives the simulator. */
  readonly mediaFetches = new Set<AbortController>();
  startedAtMs: number;
  private channelSequence = 0;

  constructor(
    readonly clock: SimClock,
    readonly events: EventHub,
    readonly config: SimConfig,
  ) {
    this.startedAtMs = clock.nowMs();
  }

  /** Keeps the most recent originates only, so a long-running sandbox does not grow without bound. */
  noteOriginate(record: OriginateRecord): void {
    this.originates.push(record);
    if (this.originates.length > MAX_ORIGINATE_RECORDS) this.originates.splice(0, this.originates.length - MAX_ORIGINATE_RECORDS);
  }

  /** Called once a channel is live: counts it for its id and for the peak of live channels. */
  noteChannelCreated(channelId: string): void {
    this.createdPerChannelId.set(channelId, (this.createdPerChannelId.get(channelId) ?? 0) + 1);
    if (this.createdPerChannelId.size > MAX_COUNTED_CHANNEL_IDS) this.createdPerChannelId.delete(this.createdPerChannelId.keys().next().value!);
    this.peakLiveChannels = Math.max(this.peakLiveChannels, this.channels.size);
  }

  nextChannelSequence(): number {
    this.channelSequence += 1;
    return this.channelSequence;
  }

  /**
   * Sends an event about a channel (or its playback or recording) to the channel's application.
   * `atMs` is the simulated instant the script meant; scripted events carry it rather than the
   * moment their timer happened to fire, so a sped-up call still reports exact durations.
   */
  emit<T extends AriEventType>(channel: SimChannel, type: T, payload: AriEventPayloads[T], atMs = this.channelNowMs(channel)): void {
    const at = Math.max(atMs, channel.lastEventAtMs);
    channel.lastEventAtMs = at;
    this.events.publish(channel.app, {
      type,
      timestamp: asteriskTimestamp(at),
      application: channel.app,
      asterisk_id: this.config.asteriskId,
      ...payload,
    });
  }

  /**
   * The simulated instant for something that happens on a channel now (a request from the app).
   * On a late event loop the wall clock can run past a scripted instant whose timer has not fired
   * yet; stamping the request after it would put, say, a PlaybackStarted after a callee hangup
   * that the script placed earlier, and stretch a 61 s call to 79 s. Simulated time on a channel
   * never passes its next scripted instant, as in any discrete-event simulation.
   */
  channelNowMs(channel: SimChannel): number {
    const now = this.clock.nowMs();
    const pending = channel.timers.nextInstantMs();
    return pending === undefined ? now : Math.min(now, pending);
  }

  /** Runs `run` at the simulated instant `atMs`, on the channel's timers. */
  schedule(channel: SimChannel, atMs: number, run: (atMs: number) => void): void {
    channel.timers.atInstant(this.clock.realDelay(atMs - this.clock.nowMs()), atMs, run);
  }

  /** As if the process restarted: live state is gone, without a word to anyone. */
  forgetLiveState(): void {
    for (const channel of this.channels.values()) channel.timers.cancelAll();
    for (const fetch of this.mediaFetches) fetch.abort();
    this.mediaFetches.clear();
    this.channels.clear();
    this.playbacks.clear();
    this.liveRecordings.clear();
    this.events.discardPending();
    this.startedAtMs = this.clock.nowMs();
  }
}
