/** The adapter logs through whatever the host app passes in; silent when nothing is. */
export type AriLogger = {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
};

export const silentLogger: AriLogger = { info() {}, warn() {}, error() {} };
