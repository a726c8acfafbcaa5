/**
 * The JSON shapes ARI puts on the wire, as the simulator sends them. Field names are Asterisk's
 * (snake_case), because `ari-client` copies them verbatim onto its resource objects.
 */

export type AriChannelState = 'Down' | 'Ringing' | 'Up';

export type AriChannel = {
  readonly id: string;
  readonly name: string;
  readonly state: AriChannelState;
  readonly protocol_id: string;
  readonly caller: { readonly name: string; readonly number: string };
  readonly connected: { readonly name: string; readonly number: string };
  readonly accountcode: string;
  readonly dialplan: {
    readonly context: string;
    readonly exten: string;
    readonly priority: number;
    readonly app_name: string;
    readonly app_data: string;
  };
  readonly creationtime: string;
  readonly language: string;
  readonly channelvars?: Readonly<Record<string, string>>;
};

export type AriPlaybackState = 'queued' | 'playing' | 'done' | 'failed';

export type AriPlayback = {
  readonly id: string;
  readonly media_uri: string;
  readonly target_uri: string;
  readonly language: string;
  readonly state: AriPlaybackState;
};

export type AriLiveRecordingState = 'queued' | 'recording' | 'done' | 'failed';

export type AriLiveRecording = {
  readonly name: string;
  readonly format: string;
  readonly target_uri: string;
  readonly state: AriLiveRecordingState;
  /** Whole seconds; present once the recording has finished. */
  readonly duration?: number;
  readonly talking_duration?: number;
  readonly silence_duration?: number;
};

export type AriStoredRecording = { readonly name: string; readonly format: string };

/** Every event the simulator can send, with the fields beyond type/application/timestamp. */
export type AriEventPayloads = {
  ChannelStateChange: { readonly channel: AriChannel };
  StasisStart: { readonly args: readonly string[]; readonly channel: AriChannel };
  StasisEnd: { readonly channel: AriChannel };
  ChannelDtmfReceived: { readonly digit: string; readonly duration_ms: number; readonly channel: AriChannel };
  ChannelHangupRequest: { readonly cause: number; readonly soft?: boolean; readonly channel: AriChannel };
  ChannelDestroyed: { readonly cause: number; readonly cause_txt: string; readonly channel: AriChannel };
  PlaybackStarted: { readonly playback: AriPlayback };
  PlaybackFinished: { readonly playback: AriPlayback };
  RecordingStarted: { readonly recording: AriLiveRecording };
  RecordingFinished: { readonly recording: AriLiveRecording };
};

export type AriEventType = keyof AriEventPayloads;

export type AriEvent<T extends AriEventType = AriEventType> = {
  readonly type: T;
  readonly application: string;
  readonly timestamp: string;
  readonly asterisk_id: string;
} & AriEventPayloads[T];
