import type { Clock } from '../../../domain/shared/clock.ts';
import type { TelephonyOutcome } from '../port.ts';
import { asteriskTimeToIso } from './asterisk-time.ts';
import type { CallRegistry, TrackedCall } from './call-registry.ts';
import { channelOf, fieldNumber, fieldString, playbackOf, recordingOf } from './event-fields.ts';
import { callIdFromSnoopId, channelIdFromTargetUri, playbackIdFor } from './identifiers.ts';
import type { AriLogger } from './logger.ts';
import type { AriEvent } from './node-connection.ts';

const isSnoopChannelId = (channelId: string): boolean => callIdFromSnoopId(channelId) !== null;

type Reactions = {
  emit(outcome: TelephonyOutcome): void;
  /** The callee answered: start the call's media and recording on that node. */
  answered(call: TrackedCall, node: string): void;
  /** The snoop channel that records the call entered Stasis on that node: it can be recorded now. */
  snoopStarted(call: TrackedCall, node: string): void;
  /** Our broadcast finished playing: the call has nothing left to do. */
  broadcastFinished(call: TrackedCall): void;
  /** The channel is gone: stop anything still armed for it. */
  ended(call: TrackedCall): void;
};

/**
 * Turns Asterisk's events into TelephonyOutcomes. It reports facts only: nothing is classified
 * from dialstatus, and the end of a call takes its Q.850 cause from ChannelDestroyed alone
 * (ChannelHangupRequest after our own DELETE carries an internal code, not a carrier cause).
 */
export class EventTranslator {
  constructor(
    private readonly registry: CallRegistry,
    private readonly clock: Clock,
    private readonly logger: AriLogger,
    private readonly reactions: Reactions,
  ) {}

  handle(node: string, event: AriEvent): void {
    const at = asteriskTimeToIso(event.timestamp) ?? this.clock.now().toISOString();
    const channelId = channelOf(event)?.id;
    if (channelId && isSnoopChannelId(channelId)) return this.snoopEvent(node, event, channelId);
    switch (event.type) {
      case 'ChannelStateChange':
        return this.stateChanged(node, event, at);
      case 'StasisStart':
        return this.stasisStarted(node, event, at);
      case 'PlaybackStarted':
      case 'PlaybackFinished':
        return this.playback(event, at);
      case 'ChannelDtmfReceived':
        return this.dtmf(node, event, at);
      case 'RecordingFinished':
        return this.recordingFinished(event, at);
      case 'RecordingFailed':
        return this.recordingFailed(event);
      case 'ChannelDestroyed':
        return this.destroyed(node, event, at);
      default:
        return;
    }
  }

  /**
   * A snoop channel's own events say nothing about the call: its StasisStart is not an answer and
   * its ChannelDestroyed is not the call's end. Only its arrival in Stasis matters, to record it.
   */
  private snoopEvent(node: string, event: AriEvent, channelId: string): void {
    if (event.type !== 'StasisStart') return;
    const call = this.registry.forSnoop(channelId);
    if (call) this.reactions.snoopStarted(call, node);
  }

  private callFor(node: string, event: AriEvent): TrackedCall | undefined {
    const channelId = channelOf(event)?.id;
    const call = channelId ? this.registry.forChannel(channelId) : undefined;
    // A call rebuilt after a restart learns its node from the first event about it.
    if (call && call.node === null) call.node = node;
    return call;
  }

  private stateChanged(node: string, event: AriEvent, at: string): void {
    const call = this.callFor(node, event);
    if (!call || call.ringing || channelOf(event)?.state !== 'Ringing') return;
    call.ringing = true;
    this.reactions.emit({ kind: 'ringing', callId: call.callId, tenantId: call.tenantId, at });
  }

  private stasisStarted(node: string, event: AriEvent, at: string): void {
    const call = this.callFor(node, event);
    if (!call) {
      this.logger.warn('StasisStart for a channel calltrail did not originate', {
        node,
        channelId: channelOf(event)?.id,
      });
      return;
    }
    if (call.answered) return;
    call.answered = true;
    this.reactions.emit({ kind: 'answered', callId: call.callId, tenantId: call.tenantId, at });
    this.reactions.answered(call, node);
  }

  private playback(event: AriEvent, at: string): void {
    const playback = playbackOf(event);
    const channelId = channelIdFromTargetUri(playback?.target);
    const call = channelId ? this.registry.forChannel(channelId) : undefined;
    if (!call || !playback?.id) return;
    const kind = event.type === 'PlaybackStarted' ? 'playback_started' : 'playback_finished';
    this.reactions.emit({
      kind,
      callId: call.callId,
      tenantId: call.tenantId,
      playbackId: playback.id,
      media: playback.media ?? call.media ?? '',
      at,
    });
    if (kind === 'playback_finished' && playback.id === playbackIdFor(call.callId) && call.playbackPending) {
      call.playbackPending = false;
      this.reactions.broadcastFinished(call);
    }
  }

  private dtmf(node: string, event: AriEvent, at: string): void {
    const call = this.callFor(node, event);
    const digit = fieldString(event, 'digit');
    if (!call || digit === null) return;
    this.reactions.emit({ kind: 'dtmf', callId: call.callId, tenantId: call.tenantId, digit, at });
  }

  private recordingFinished(event: AriEvent, at: string): void {
    const recording = recordingOf(event);
    if (!recording?.name) return;
    const target = channelIdFromTargetUri(recording.target) ?? '';
    // After a restart the name→owner map is empty; the recorded channel (the call's snoop, or the
    // call channel for recordings started by older versions) still names the call.
    const owner =
      this.registry.takeRecording(recording.name) ?? this.registry.forSnoop(target) ?? this.registry.forChannel(target);
    if (!owner) return;
    this.reactions.emit({
      kind: 'recording_stored',
      callId: owner.callId,
      tenantId: owner.tenantId,
      name: recording.name,
      format: recording.format ?? 'unknown',
      durationSeconds: recording.durationSeconds ?? 0,
      at,
    });
  }

  private recordingFailed(event: AriEvent): void {
    const recording = recordingOf(event);
    if (!recording?.name) return;
    const owner = this.registry.takeRecording(recording.name);
    if (owner) this.logger.warn('recording failed', { callId: owner.callId, name: recording.name });
  }

  private destroyed(node: string, event: AriEvent, at: string): void {
    const call = this.callFor(node, event);
    if (!call) return;
    this.registry.remove(call.callId);
    this.reactions.ended(call);
    this.reactions.emit({
      kind: 'ended',
      callId: call.callId,
      tenantId: call.tenantId,
      answered: call.answered,
      cause: fieldNumber(event, 'cause'),
      causeText: fieldString(event, 'cause_txt') ?? '',
      at,
      reason: null,
    });
  }
}
