import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { EventHub } from './event-hub.ts';
import { TrunkRateLimiter, type CallRateLimit } from './rate-limit.ts';
import { DEFAULT_RULES, type OutcomeRule } from './rules.ts';
import { createAriServer } from './server.ts';
import { asteriskTimestamp, SimClock } from './sim-clock.ts';
import { SimWorld, type OriginateRecord } from './world.ts';

export type AriSimulatorOptions = {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly username?: string;
  readonly password?: string;
  /** Tried before the default table; the first matching rule decides the call. */
  readonly rules?: readonly OutcomeRule[];
  /** Multiplies every simulated delay: 0.01 runs calls 100 times faster. */
  readonly timeScale?: number;
  /** Simulated length of a `sound:` playback, before scaling. */
  readonly playbackMs?: number;
  /** A carrier's cap on call attempts per trunk; attempts beyond it fail with cause 34. */
  readonly callRateLimit?: CallRateLimit;
  /** Real milliseconds to wait for a `sound:http(s)://` media URL. */
  readonly mediaFetchTimeoutMs?: number;
};

export type ChannelSnapshot = {
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  /** The dialled number's digits, without `+`. */
  readonly number: string;
  readonly trunk: string;
  readonly app: string;
  readonly state: 'Down' | 'Ringing' | 'Up';
  /** Answered and handed to the application. */
  readonly inStasis: boolean;
  readonly variables: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly playbackIds: readonly string[];
  /** The live recording running or first in line on this channel. */
  readonly recording: string | null;
  /** Set on a snoop channel: whom it listens to, and how. */
  readonly snooping: { readonly channelId: string; readonly spy: string; readonly whisper: string } | null;
};

export type StoredRecordingSnapshot = {
  readonly name: string;
  readonly format: string;
  readonly channelId: string;
  readonly durationSeconds: number;
};

export interface AriSimulator {
  /** e.g. `http://127.0.0.1:40123`: what `ari.connect()` takes. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Live channels right now. */
  channels(): ChannelSnapshot[];
  /** Every originate request received (the latest 10 000), in order, with what became of it. */
  originated(): OriginateRecord[];
  recordings(): StoredRecordingSnapshot[];
  /**
   * Counters that survive `restart()`: channels created per channel id (kept for the latest
   * 200 000 ids), and the most channels (snoops included) that were ever live at once.
   */
  counters(): { readonly createdPerChannelId: ReadonlyMap<string, number>; readonly peakLiveChannels: number };
  /** Cuts every events socket; channels carry on and events meanwhile are lost. */
  dropWebSockets(): void;
  /** Forgets all live state as a restarted Asterisk would, then accepts connections again. */
  restart(options?: { readonly downForMs?: number }): Promise<void>;
  /** Delays every event by `ms` real milliseconds, keeping their order. */
  setEventDelay(ms: number): void;
  /** While down, HTTP answers 503 and sockets are closed and refused. */
  setDown(down: boolean): void;
  setCallRateLimit(limit: CallRateLimit | null): void;
  close(): Promise<void>;
}

export async function startAriSimulator(options: AriSimulatorOptions = {}): Promise<AriSimulator> {
  const username = options.username ?? 'calltrail';
  const password = options.password ?? 'calltrail';
  const host = options.host ?? '127.0.0.1';
  const events = new EventHub();
  const world = new SimWorld(new SimClock(options.timeScale ?? 1), events, {
    rules: [...(options.rules ?? []), ...DEFAULT_RULES],
    playbackMs: options.playbackMs ?? 2000,
    mediaFetchTimeoutMs: options.mediaFetchTimeoutMs ?? 5000,
    asteriskId: randomUUID(),
  });
  const limiter = new TrunkRateLimiter(options.callRateLimit ?? null);
  let down = false;
  const setDown = (value: boolean) => {
    down = value;
    if (value) events.dropAll();
  };

  const server = createAriServer({ world, events, limiter, credentials: `${username}:${password}`, isDown: () => down });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    username,
    password,
    channels: () =>
      [...world.channels.values()].map((channel) => ({
        id: channel.id,
        name: channel.name,
        endpoint: channel.endpoint,
        number: channel.digits,
        trunk: channel.trunk,
        app: channel.app,
        state: channel.state,
        inStasis: channel.inStasis,
        variables: Object.fromEntries(channel.variables),
        createdAt: asteriskTimestamp(channel.createdAtMs),
        playbackIds: [...channel.playbackIds],
        recording: [...channel.recordingNames][0] ?? null,
        snooping: channel.snooping,
      })),
    originated: () => [...world.originates],
    recordings: () => [...world.storedRecordings.values()].map((recording) => ({ ...recording })),
    counters: () => ({ createdPerChannelId: new Map(world.createdPerChannelId), peakLiveChannels: world.peakLiveChannels }),
    dropWebSockets: () => events.dropAll(),
    restart: async ({ downForMs = 0 } = {}) => {
      setDown(true);
      world.forgetLiveState();
      limiter.reset();
      if (downForMs > 0) await new Promise((resolve) => setTimeout(resolve, downForMs));
      setDown(false);
    },
    setEventDelay: (ms) => events.setDelay(ms),
    setDown,
    setCallRateLimit: (limit) => limiter.set(limit),
    close: async () => {
      setDown(true);
      world.forgetLiveState();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
