import type { Clock } from '../../../domain/shared/clock.ts';
import { asteriskTimeToIso } from './asterisk-time.ts';
import { markSeen, type CallRegistry } from './call-registry.ts';
import { channelOf, playbackOf } from './event-fields.ts';
import { channelIdFromTargetUri } from './identifiers.ts';
import type { AriEvent } from './node-connection.ts';

/**
 * What the adapter knows about each call's channel being alive, for billing a call whose end no
 * PBX reports. Answer times come from the PBX's clock, so the last-seen and detection times are put
 * on that clock too (each node's offset is learnt from its event timestamps): a lost call's billed
 * span is then measured on one clock, whatever the skew between the two machines.
 */
export class ChannelLiveness {
  private readonly pbxClockOffsetMs = new Map<string, number>();

  constructor(
    private readonly registry: CallRegistry,
    private readonly clock: Clock,
  ) {}

  /** Every ARI event about a channel is a fact that the channel was alive when it was sent. */
  noteEvent(node: string, event: AriEvent): void {
    const stamped = asteriskTimeToIso(event.timestamp);
    if (stamped !== null) this.pbxClockOffsetMs.set(node, Date.parse(stamped) - this.clock.now().getTime());
    // Playback events name their channel only in the target URI.
    const channelId = channelOf(event)?.id ?? channelIdFromTargetUri(playbackOf(event)?.target);
    const call = channelId ? this.registry.forChannel(channelId) : undefined;
    if (call) markSeen(call, stamped ?? this.pbxNow(node));
  }

  /**
   * A channel listing that `node` answered, stamped at `askedAt` (taken before asking: the listing
   * proves each channel was up at least that early).
   */
  noteListing(node: string, channels: ReadonlyMap<string, unknown>, askedAt: string): void {
    for (const call of this.registry.all()) {
      if ((call.node === node || call.node === null) && channels.has(call.channelId)) markSeen(call, askedAt);
    }
  }

  /** Now, on the node's clock as far as its events have shown it; ours for a node not heard from. */
  pbxNow(node: string | null): string {
    const offset = node === null ? 0 : (this.pbxClockOffsetMs.get(node) ?? 0);
    return new Date(this.clock.now().getTime() + offset).toISOString();
  }
}
