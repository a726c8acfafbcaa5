import type { Logger } from '../http/dependencies.ts';

/** One JSON line per entry on stdout/stderr; callers never pass secrets in `fields`. */
export function consoleLogger(level: 'info' | 'error' = (process.env.LOG_LEVEL as 'info' | 'error') ?? 'info'): Logger {
  const line = (severity: string, msg: string, fields?: object) =>
    JSON.stringify({ time: new Date().toISOString(), level: severity, msg, ...fields });
  return {
    info: (msg, fields) => {
      if (level === 'info') console.log(line('info', msg, fields));
    },
    error: (msg, fields) => console.error(line('error', msg, fields)),
  };
}
