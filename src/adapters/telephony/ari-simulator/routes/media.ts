import { noContent, ok, problem, type Reply, type Route, type RouteInput } from '../http-kit.ts';
import { finishPlayback } from '../playbacks.ts';
import { finishRecording, storedRecordingAudio } from '../recordings.ts';
import { liveRecordingJson, playbackJson, storedRecordingJson } from '../render.ts';
import type { SimStoredRecording } from '../world.ts';

/** Playbacks and recordings, once started from a channel. */

function stopPlayback({ params, world }: RouteInput): Reply {
  const playback = world.playbacks.get(params['playbackId'] ?? '');
  if (playback === undefined) return problem(404, 'Playback not found');
  const channel = world.channels.get(playback.channelId);
  if (channel !== undefined) finishPlayback(world, channel, playback, 'done');
  return noContent;
}

function stopLiveRecording({ params, world }: RouteInput): Reply {
  const recording = world.liveRecordings.get(params['recordingName'] ?? '');
  if (recording === undefined) return problem(404, 'Recording not found');
  const channel = world.channels.get(recording.channelId);
  if (channel !== undefined) finishRecording(world, channel, recording);
  return noContent;
}

function withStoredRecording(input: RouteInput, then: (recording: SimStoredRecording) => Reply): Reply {
  const recording = input.world.storedRecordings.get(input.params['recordingName'] ?? '');
  return recording === undefined ? problem(404, 'Recording not found') : then(recording);
}

export const mediaRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/playbacks/:playbackId',
    handle: ({ params, world }) => {
      const playback = world.playbacks.get(params['playbackId'] ?? '');
      return playback === undefined ? problem(404, 'Playback not found') : ok(playbackJson(playback));
    },
  },
  { method: 'DELETE', path: '/playbacks/:playbackId', handle: stopPlayback },
  {
    method: 'GET',
    path: '/recordings/stored',
    handle: ({ world }) => ok([...world.storedRecordings.values()].map(storedRecordingJson)),
  },
  {
    method: 'GET',
    path: '/recordings/stored/:recordingName',
    handle: (input) => withStoredRecording(input, (recording) => ok(storedRecordingJson(recording))),
  },
  {
    method: 'DELETE',
    path: '/recordings/stored/:recordingName',
    handle: (input) =>
      withStoredRecording(input, (recording) => {
        input.world.storedRecordings.delete(recording.name);
        return noContent;
      }),
  },
  {
    method: 'GET',
    path: '/recordings/stored/:recordingName/file',
    handle: (input) =>
      withStoredRecording(input, (recording) => {
        const audio = storedRecordingAudio(recording);
        return { status: 200, file: { contentType: audio.contentType, bytes: audio.bytes } };
      }),
  },
  {
    method: 'GET',
    path: '/recordings/live/:recordingName',
    handle: ({ params, world }) => {
      const recording = world.liveRecordings.get(params['recordingName'] ?? '');
      return recording === undefined ? problem(404, 'Recording not found') : ok(liveRecordingJson(recording));
    },
  },
  { method: 'POST', path: '/recordings/live/:recordingName/stop', handle: stopLiveRecording },
];
