import pino, { type DestinationStream, type Level } from 'pino';
import type { Logger } from '../http/dependencies.ts';
import { currentLogContext } from '../http/log-context.ts';

/**
 * JSON lines through pino, at LOG_LEVEL. Every line written while a request is handled carries
 * its request, correlation and (once placed) call ids. Secrets are redacted twice over: fields
 * whose name says secret, and any string that looks like one of our keys or a JWT, wherever it
 * sits — so a key pasted into the wrong field by a client or a careless message is still hidden.
 */

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const REDACTED = '[REDACTED]';
const SECRET_FIELD = /pass(word)?|secret|token|authorization|api[-_]?key|^key$|cookie|signature|hash$/i;
/** API and operator keys, JWTs, refresh tokens and `?token=` values. */
const SECRET_VALUE = /ct_(?:live|test|op)_[A-Za-z0-9_-]+|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|\brt_[A-Za-z0-9_-]{16,}|([?&](?:token|key|api_key)=)[^&\s"]+/g;

export function redactText(text: string): string {
  return text.replace(SECRET_VALUE, (_match, query: string | undefined) => (query ? `${query}${REDACTED}` : REDACTED));
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) out[name] = SECRET_FIELD.test(name) && field != null ? REDACTED : redact(field, depth + 1);
  return out;
}

export type LoggerOptions = { level?: LogLevel; destination?: DestinationStream };

/** The engine's logger; the name is kept from its console days so call sites stay as they are. */
export type EngineLogger = Logger & { warn(msg: string, fields?: object): void; debug(msg: string, fields?: object): void; /** Writes out what is buffered; call before process.exit. */ flush(): void };

export function consoleLogger(options: LoggerOptions = {}): EngineLogger {
  const level = options.level ?? levelFromEnv(process.env.LOG_LEVEL);
  // Asynchronous writes keep logging off the request's path; flush() empties the buffer at exit.
  const stdout = options.destination ? null : pino.destination({ dest: 1, sync: false });
  const base = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentLogContext() }),
    },
    options.destination ?? stdout!,
  );
  const write = (severity: Level) => (msg: string, fields?: object) => {
    if (!base.isLevelEnabled(severity)) return;
    if (fields) base[severity](redact(fields) as object, redactText(msg));
    else base[severity](redactText(msg));
  };
  return {
    info: write('info'),
    error: write('error'),
    warn: write('warn'),
    debug: write('debug'),
    flush: () => {
      try {
        stdout?.flushSync();
      } catch {
        // Nothing buffered yet (the stream is still opening): nothing to lose.
      }
    },
  };
}

function levelFromEnv(raw: string | undefined): LogLevel {
  const wanted = (raw ?? 'info').toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(wanted) ? (wanted as LogLevel) : 'info';
}
