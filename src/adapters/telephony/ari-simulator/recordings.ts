import { recordingKey } from './media-queue.ts';
import { liveRecordingJson } from './render.ts';
import { silentWav } from './wav.ts';
import type { SimChannel, SimLiveRecording, SimStoredRecording, SimWorld } from './world.ts';

export const RECORDING_FORMATS = ['wav', 'ulaw', 'alaw'] as const;
type RecordingFormat = (typeof RECORDING_FORMATS)[number];

export type RecordRequest = {
  readonly name: string;
  readonly format: string;
  readonly maxDurationSeconds: number;
  readonly ifExists: 'fail' | 'overwrite' | 'append';
};

export type RecordRefusal = { readonly status: 409 | 422; readonly message: string };

export function startRecording(world: SimWorld, channel: SimChannel, request: RecordRequest): SimLiveRecording | RecordRefusal {
  if (!isRecordingFormat(request.format)) return { status: 422, message: `Recording format ${request.format} is not known` };
  if (world.liveRecordings.has(request.name)) return { status: 409, message: 'A recording with this name is in progress' };
  if (world.storedRecordings.has(request.name) && request.ifExists === 'fail') {
    return { status: 409, message: 'Recording with same name already exists on the system' };
  }
  const recording: SimLiveRecording = {
    name: request.name,
    format: request.format,
    channelId: channel.id,
    startedAtMs: null,
    state: 'queued',
  };
  world.liveRecordings.set(recording.name, recording);
  channel.recordingNames.add(recording.name);
  // A play already running (or waiting) on this channel goes first, as on Asterisk (media-queue.ts).
  channel.media.enqueue(recordingKey(recording.name), () =>
    // Begin on the next turn so the 201 reply is written before the first event.
    channel.timers.after(0, () => {
      if (world.liveRecordings.get(recording.name) !== recording) return;
      const startedAtMs = world.channelNowMs(channel);
      recording.startedAtMs = startedAtMs;
      recording.state = 'recording';
      world.emit(channel, 'RecordingStarted', { recording: liveRecordingJson(recording) }, startedAtMs);
      if (request.maxDurationSeconds > 0) {
        const stopAtMs = startedAtMs + request.maxDurationSeconds * 1000;
        world.schedule(channel, stopAtMs, (atMs) => finishRecording(world, channel, recording, atMs));
      }
    }),
  );
  return recording;
}

/**
 * Stores the recording and reports it; once only, whether stopped, timed out or hung up. One that
 * never left the queue is stored empty.
 */
export function finishRecording(
  world: SimWorld,
  channel: SimChannel,
  recording: SimLiveRecording,
  atMs = world.channelNowMs(channel),
): void {
  if (world.liveRecordings.get(recording.name) !== recording) return;
  world.liveRecordings.delete(recording.name);
  channel.recordingNames.delete(recording.name);
  const durationSeconds = recording.startedAtMs === null ? 0 : Math.max(0, Math.round((atMs - recording.startedAtMs) / 1000));
  recording.state = 'done';
  world.storedRecordings.set(recording.name, {
    name: recording.name,
    format: recording.format,
    channelId: recording.channelId,
    durationSeconds,
  });
  world.emit(channel, 'RecordingFinished', { recording: liveRecordingJson(recording, durationSeconds) }, atMs);
  channel.media.finished(recordingKey(recording.name));
}

/** Generated audio stays small whatever the call length. */
const MAX_AUDIO_SECONDS = 30;

/** The file Asterisk would have written: silence, as long as the recording (up to 30 s). */
export function storedRecordingAudio(recording: SimStoredRecording): { contentType: string; bytes: Buffer } {
  const seconds = Math.min(recording.durationSeconds, MAX_AUDIO_SECONDS);
  switch (recording.format as RecordingFormat) {
    case 'wav':
      return { contentType: 'audio/wav', bytes: silentWav(seconds) };
    case 'ulaw':
      return { contentType: 'audio/basic', bytes: Buffer.alloc(seconds * 8000, 0xff) };
    case 'alaw':
      return { contentType: 'audio/x-alaw-basic', bytes: Buffer.alloc(seconds * 8000, 0xd5) };
  }
}

function isRecordingFormat(format: string): format is RecordingFormat {
  return (RECORDING_FORMATS as readonly string[]).includes(format);
}
