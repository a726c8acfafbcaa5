import type { AriHttp } from './ari-http.ts';
import type { CallRegistry, TrackedCall } from './call-registry.ts';
import { playbackIdFor, recordingNameFor, snoopIdFor } from './identifiers.ts';
import type { AriLogger } from './logger.ts';

export type CallMediaDeps = {
  readonly http: AriHttp;
  readonly registry: CallRegistry;
  readonly recordingFormat: string;
  readonly logger: AriLogger;
  /** The Stasis application the node's channels (and so the snoop) enter. */
  readonly app: string;
  readonly hangup: (callId: string) => Promise<void>;
};

const channelPath = (channelId: string) => `/channels/${encodeURIComponent(channelId)}`;

/**
 * What an answered broadcast call does on the line. Asterisk runs a channel's plays and records
 * one after the other, so recording the call channel itself would hold the broadcast back until
 * the recording stopped. The recording is made on a snoop channel instead: it hears both
 * directions of the call and has a media queue of its own, so the callee hears the broadcast at
 * once. The snoop is set up first, so it listens from before the first word plays; it is recorded
 * once it enters Stasis (`recordThroughSnoop`), and it ends by itself when the call channel does.
 */
export async function startCallMedia(call: TrackedCall, deps: CallMediaDeps): Promise<void> {
  if (call.record) await startSnoop(call, deps);
  if (!call.media) return;
  call.playbackPending = true;
  try {
    await deps.http.expect('POST', `${channelPath(call.channelId)}/play`, {
      query: { media: call.media, playbackId: playbackIdFor(call.callId) },
    });
  } catch (error) {
    // A broadcast that cannot play has nothing left to do on the line.
    call.playbackPending = false;
    deps.logger.error('could not start playback; hanging up', { callId: call.callId, error: String(error) });
    await deps.hangup(call.callId).catch(() => undefined);
  }
}

async function startSnoop(call: TrackedCall, deps: CallMediaDeps): Promise<void> {
  // A recording that will not start is worth a log line, not the call.
  await deps.http
    .expect('POST', `${channelPath(call.channelId)}/snoop`, {
      query: { spy: 'both', app: deps.app, snoopId: snoopIdFor(call.callId) },
    })
    .catch((error: unknown) => deps.logger.error('could not start the snoop channel to record', { callId: call.callId, error: String(error) }));
}

/**
 * The call's snoop channel entered Stasis: record it, under the name the call's recording has
 * always had. Media requests on a channel are refused until it is in Stasis, hence the wait.
 */
export async function recordThroughSnoop(call: TrackedCall, deps: CallMediaDeps): Promise<void> {
  if (!call.record) return;
  const name = recordingNameFor(call.callId);
  const snoopPath = channelPath(snoopIdFor(call.callId));
  deps.registry.expectRecording(name, call);
  try {
    await deps.http.expect('POST', `${snoopPath}/record`, {
      query: {
        name,
        format: deps.recordingFormat,
        maxDurationSeconds: call.maxDurationSeconds,
        ifExists: 'overwrite',
        beep: false,
        terminateOn: 'none',
      },
    });
  } catch (error) {
    deps.registry.takeRecording(name);
    deps.logger.error('could not start recording', { callId: call.callId, error: String(error) });
    // A snoop that records nothing has no reason to stay up until the call ends.
    await deps.http.send('DELETE', snoopPath).catch(() => undefined);
  }
}
