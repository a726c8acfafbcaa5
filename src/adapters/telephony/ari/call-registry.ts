import { callIdFromSnoopId, channelIdFor, callIdFromChannelId } from './identifiers.ts';

/**
 * The only call state the adapter holds: which channel belongs to which call, plus flags it
 * needs to translate Asterisk's events. Everything here can be rebuilt from the event store
 * (calls in flight) and from Asterisk (channels alive), which is what reconciliation does.
 */
export type TrackedCall = {
  readonly callId: string;
  readonly tenantId: string;
  readonly channelId: string;
  /** Which node holds the channel; null for calls rebuilt after a restart until a node shows it. */
  node: string | null;
  readonly media: string | null;
  readonly record: boolean;
  readonly maxDurationSeconds: number;
  /** The PBX accepted the originate (or the call was rebuilt): reconciliation may judge it. */
  confirmed: boolean;
  ringing: boolean;
  /** StasisStart was seen: an originated channel only enters Stasis once the callee answers. */
  answered: boolean;
  playbackPending: boolean;
  /**
   * The last moment the PBX showed this channel alive: an ARI event about it, or its presence in a
   * channel listing (the heartbeat). A call lost without an end report is billed up to here at most.
   */
  lastSeenAt: string | null;
};

type RecordingOwner = { readonly callId: string; readonly tenantId: string };

export class CallRegistry {
  private readonly calls = new Map<string, TrackedCall>();
  /** A recording finishes after its channel is gone, so its owner outlives the channel entry. */
  private readonly recordings = new Map<string, RecordingOwner>();

  track(
    call: Omit<TrackedCall, 'channelId' | 'ringing' | 'answered' | 'playbackPending' | 'lastSeenAt'> & {
      answered?: boolean;
      lastSeenAt?: string | null;
    },
  ): TrackedCall {
    const tracked: TrackedCall = {
      ringing: false,
      playbackPending: false,
      ...call,
      answered: call.answered ?? false,
      lastSeenAt: call.lastSeenAt ?? null,
      channelId: channelIdFor(call.callId),
    };
    this.calls.set(call.callId, tracked);
    return tracked;
  }

  get(callId: string): TrackedCall | undefined {
    return this.calls.get(callId);
  }

  forChannel(channelId: string): TrackedCall | undefined {
    const callId = callIdFromChannelId(channelId);
    return callId === null ? undefined : this.calls.get(callId);
  }

  /** The call a snoop channel records, while that call is tracked. */
  forSnoop(channelId: string): TrackedCall | undefined {
    const callId = callIdFromSnoopId(channelId);
    return callId === null ? undefined : this.calls.get(callId);
  }

  remove(callId: string): void {
    this.calls.delete(callId);
  }

  all(): TrackedCall[] {
    return [...this.calls.values()];
  }

  expectRecording(name: string, owner: RecordingOwner): void {
    this.recordings.set(name, owner);
  }

  takeRecording(name: string): RecordingOwner | undefined {
    const owner = this.recordings.get(name);
    this.recordings.delete(name);
    return owner;
  }
}

/** Moves a call's last-seen mark forward only: facts can arrive out of order across nodes and sweeps. */
export function markSeen(call: TrackedCall, at: string): void {
  if (call.lastSeenAt === null || Date.parse(at) > Date.parse(call.lastSeenAt)) call.lastSeenAt = at;
}
