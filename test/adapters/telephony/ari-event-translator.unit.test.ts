import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/shared/clock.ts';
import type { TelephonyOutcome } from '../../../src/adapters/telephony/port.ts';
import { CallRegistry } from '../../../src/adapters/telephony/ari/call-registry.ts';
import { EventTranslator } from '../../../src/adapters/telephony/ari/event-translator.ts';
import { channelIdFor, playbackIdFor, recordingNameFor, snoopIdFor } from '../../../src/adapters/telephony/ari/identifiers.ts';
import { silentLogger } from '../../../src/adapters/telephony/ari/logger.ts';

const CALL = '7d1c9a52-8a3e-4a8e-9a43-1f1f0c7b2d10';
const CHANNEL = channelIdFor(CALL);

function given(options: { media?: string | null; record?: boolean } = {}) {
  const registry = new CallRegistry();
  registry.track({
    callId: CALL,
    tenantId: 'tenant-a',
    node: 'pbx1',
    media: options.media ?? null,
    record: options.record ?? false,
    maxDurationSeconds: 60,
    confirmed: true,
  });
  const outcomes: TelephonyOutcome[] = [];
  const reactions: string[] = [];
  const translator = new EventTranslator(registry, new ManualClock('2026-01-01T00:00:00.000Z'), silentLogger, {
    emit: (outcome) => outcomes.push(outcome),
    answered: () => reactions.push('answered'),
    snoopStarted: (call) => reactions.push(`snoop started for ${call.callId}`),
    broadcastFinished: () => reactions.push('broadcast finished'),
    ended: () => reactions.push('ended'),
  });
  const send = (type: string, fields: Record<string, unknown>, timestamp = '2026-11-23T11:16:33.123+0000') =>
    translator.handle('pbx1', { type, timestamp, ...fields });
  return { registry, outcomes, reactions, send };
}

const channel = (state = 'Up', id = CHANNEL) => ({ channel: { id, state } });

describe('EventTranslator', () => {
  it('reports ringing once, the answer at Asterisk time, and the end with the ChannelDestroyed cause', () => {
    const { outcomes, reactions, send } = given();
    send('ChannelStateChange', channel('Ringing'), '2026-11-23T11:16:30.000+0000');
    send('ChannelStateChange', channel('Ringing'));
    send('ChannelStateChange', channel('Up'));
    send('StasisStart', channel('Up'), '2026-11-23T13:16:33.500+0200');
    send('StasisStart', channel('Up'));
    // Our own DELETE: Asterisk's hangup request carries an internal flag, not a carrier cause.
    send('ChannelHangupRequest', { ...channel(), cause: 32, soft: true });
    send('ChannelDestroyed', { ...channel(), cause: 16, cause_txt: 'Normal Clearing' }, '2026-11-23T11:17:03.500+0000');

    expect(outcomes).toEqual([
      { kind: 'ringing', callId: CALL, tenantId: 'tenant-a', at: '2026-11-23T11:16:30.000Z' },
      { kind: 'answered', callId: CALL, tenantId: 'tenant-a', at: '2026-11-23T11:16:33.500Z' },
      {
        kind: 'ended',
        callId: CALL,
        tenantId: 'tenant-a',
        answered: true,
        cause: 16,
        causeText: 'Normal Clearing',
        at: '2026-11-23T11:17:03.500Z',
        reason: null,
      },
    ]);
    expect(reactions).toEqual(['answered', 'ended']);
  });

  it('an unanswered end says so, whatever the channel state', () => {
    const { outcomes, registry, send } = given();
    send('ChannelDestroyed', { ...channel('Down'), cause: 17, cause_txt: 'User busy' });
    expect(outcomes).toMatchObject([{ kind: 'ended', answered: false, cause: 17, causeText: 'User busy' }]);
    expect(registry.get(CALL)).toBeUndefined();
  });

  it('ignores channels that are not ours, and events after the end', () => {
    const { outcomes, send } = given();
    send('StasisStart', channel('Up', 'PJSIP/incoming-0001'));
    send('ChannelDestroyed', { ...channel(), cause: 16, cause_txt: 'Normal Clearing' });
    send('ChannelDtmfReceived', { ...channel(), digit: '5' });
    send('ChannelDestroyed', { ...channel(), cause: 16, cause_txt: 'Normal Clearing' });
    expect(outcomes.map((o) => o.kind)).toEqual(['ended']);
  });

  it('reports our playback and asks for the hangup only when our broadcast finished', () => {
    const { outcomes, reactions, send } = given({ media: 'sound:hello-world' });
    send('StasisStart', channel());
    const playback = (id: string, state: string) => ({
      playback: { id, media_uri: 'sound:hello-world', target_uri: `channel:${CHANNEL}`, state },
    });
    send('PlaybackFinished', playback('someone-elses', 'done'));
    expect(reactions).toEqual(['answered']); // not pending yet, and not ours

    const tracked = given({ media: 'sound:hello-world' });
    tracked.send('StasisStart', channel());
    tracked.registry.get(CALL)!.playbackPending = true;
    tracked.send('PlaybackStarted', playback(playbackIdFor(CALL), 'playing'));
    tracked.send('PlaybackFinished', playback(playbackIdFor(CALL), 'done'));
    expect(tracked.outcomes.map((o) => o.kind)).toEqual(['answered', 'playback_started', 'playback_finished']);
    expect(tracked.outcomes[1]).toMatchObject({ playbackId: playbackIdFor(CALL), media: 'sound:hello-world' });
    expect(tracked.reactions).toEqual(['answered', 'broadcast finished']);
    expect(outcomes.map((o) => o.kind)).toEqual(['answered', 'playback_finished']);
  });

  it('reports a recording that finishes after its channel is gone', () => {
    const { outcomes, registry, send } = given({ record: true });
    registry.expectRecording(recordingNameFor(CALL), { callId: CALL, tenantId: 'tenant-a' });
    send('ChannelDestroyed', { ...channel(), cause: 16, cause_txt: 'Normal Clearing' });
    send('RecordingFinished', {
      recording: { name: recordingNameFor(CALL), format: 'wav', target_uri: `channel:${CHANNEL}`, state: 'done', duration: 12 },
    });
    expect(outcomes[1]).toMatchObject({
      kind: 'recording_stored',
      callId: CALL,
      name: recordingNameFor(CALL),
      format: 'wav',
      durationSeconds: 12,
      at: '2026-11-23T11:16:33.123Z',
    });
  });

  it("takes the recording snoop's own events for what they are: not an answer, not the end of the call", () => {
    const { outcomes, reactions, registry, send } = given({ record: true });
    const snoop = snoopIdFor(CALL);
    send('StasisStart', channel());
    send('StasisStart', channel('Up', snoop));
    send('ChannelDtmfReceived', { ...channel('Up', snoop), digit: '5' });
    send('StasisEnd', channel('Up', snoop));
    send('ChannelDestroyed', { ...channel('Up', snoop), cause: 16, cause_txt: 'Normal Clearing' });
    expect(outcomes.map((o) => o.kind)).toEqual(['answered']);
    expect(reactions).toEqual(['answered', `snoop started for ${CALL}`]);
    expect(registry.get(CALL)).toBeDefined();
  });

  it('names the call of a recording on its snoop even when the owner map was lost in a restart', () => {
    const { outcomes, send } = given({ record: true });
    send('RecordingFinished', {
      recording: { name: recordingNameFor(CALL), format: 'wav', target_uri: `channel:${snoopIdFor(CALL)}`, state: 'done', duration: 7 },
    });
    expect(outcomes).toMatchObject([{ kind: 'recording_stored', callId: CALL, name: recordingNameFor(CALL), durationSeconds: 7 }]);
  });

  it('falls back to the injected clock when Asterisk sends no usable timestamp', () => {
    const { outcomes, send } = given();
    send('ChannelDtmfReceived', { ...channel(), digit: '#' }, 'not a time');
    expect(outcomes).toEqual([{ kind: 'dtmf', callId: CALL, tenantId: 'tenant-a', digit: '#', at: '2026-01-01T00:00:00.000Z' }]);
  });
});
