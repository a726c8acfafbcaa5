/** The ARI simulator: an in-process stand-in for Asterisk's REST Interface. See docs/ari-simulator.md. */
export {
  startAriSimulator,
  type AriSimulator,
  type AriSimulatorOptions,
  type ChannelSnapshot,
  type StoredRecordingSnapshot,
} from './simulator.ts';
export { DEFAULT_RULES, RINGING_AFTER_MS, DEFAULT_ANSWER_AFTER_MS, scriptFor, type CallScript, type OutcomeRule } from './rules.ts';
export { CAUSE, causeText } from './causes.ts';
export { parseEndpoint, type ParsedEndpoint } from './endpoint.ts';
export type { CallRateLimit } from './rate-limit.ts';
export type { OriginateRecord } from './world.ts';
export type { AriEvent, AriEventType, AriChannel, AriPlayback, AriLiveRecording } from './ari-json.ts';
