export { AriTelephony, createAriTelephony, LOST_WHILE_DISCONNECTED, MAX_DURATION_WATCHDOG, ORIGINATE_NEVER_CONFIRMED } from './ari-telephony.ts';
export type { AriTelephonyDeps, InFlightCall } from './ari-telephony.ts';
export { ariConfigFromEnv, ariConfigSchema, parseAriConfig } from './config.ts';
export type { AriConfig, AriConfigInput, AriNodeConfig, TrunkConfig } from './config.ts';
export { AriRequestError, AriUnreachableError } from './ari-http.ts';
export { channelIdFor } from './identifiers.ts';
export type { AriLogger } from './logger.ts';
export type { Timers, TimerHandle } from './timers.ts';
