import type { AriHttp } from './ari-http.ts';
import type { CallRegistry, TrackedCall } from './call-registry.ts';
import { playbackIdFor, recordingNameFor } from './identifiers.ts';
import type { AriLogger } from './logger.ts';

export type CallMediaDeps = {
  readonly http: AriHttp;
  readonly registry: CallRegistry;
  readonly recordingFormat: string;
  readonly logger: AriLogger;
  readonly hangup: (callId: string) => Promise<void>;
};

/** What an answered broadcast call does on the line: record first (so the recording hears everything), then play. */
export async function startCallMedia(call: TrackedCall, deps: CallMediaDeps): Promise<void> {
  const channelPath = `/channels/${encodeURIComponent(call.channelId)}`;
  if (call.record) {
    const name = recordingNameFor(call.callId);
    deps.registry.expectRecording(name, call);
    // A recording that will not start is worth a log line, not the call.
    await deps.http
      .expect('POST', `${channelPath}/record`, {
        query: {
          name,
          format: deps.recordingFormat,
          maxDurationSeconds: call.maxDurationSeconds,
          ifExists: 'overwrite',
          beep: false,
          terminateOn: 'none',
        },
      })
      .catch((error: unknown) => {
        deps.registry.takeRecording(name);
        deps.logger.error('could not start recording', { callId: call.callId, error: String(error) });
      });
  }
  if (!call.media) return;
  call.playbackPending = true;
  try {
    await deps.http.expect('POST', `${channelPath}/play`, {
      query: { media: call.media, playbackId: playbackIdFor(call.callId) },
    });
  } catch (error) {
    // A broadcast that cannot play has nothing left to do on the line.
    call.playbackPending = false;
    deps.logger.error('could not start playback; hanging up', { callId: call.callId, error: String(error) });
    await deps.hangup(call.callId).catch(() => undefined);
  }
}
