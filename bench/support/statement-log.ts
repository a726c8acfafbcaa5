import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * Counts the statements node-postgres sends, per label, so a profile can say how many round trips
 * one operation costs. Statements are attributed to the label of the async context that sent them
 * (`within`); anything else (projections, the dialer, pollers) lands under "background".
 */
export class StatementLog {
  private readonly context = new AsyncLocalStorage<string>();
  private readonly counts = new Map<string, Map<string, number>>();
  private restore: (() => void) | undefined;

  install(): void {
    if (this.restore !== undefined) return;
    const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    const log = this;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
      // PROFILE_SHOW_STREAMS=1: stream reads are told apart by the stream's kind (its name before the id).
      const values = (Array.isArray(args[1]) ? args[1] : (first as { values?: unknown[] } | null)?.values) as unknown[] | undefined;
      const stream = process.env.PROFILE_SHOW_STREAMS && /from "es_events" where "stream_name"/.test(text) ? String(values?.[0]).replace(/-[0-9a-f-]{8,}.*$/, '-…') : '';
      log.record(log.context.getStore() ?? 'background', stream === '' ? text : `${text.slice(0, 60)}… [${stream}]`);
      return original.apply(this, args);
    };
    this.restore = () => {
      prototype.query = original;
    };
  }

  uninstall(): void {
    this.restore?.();
    this.restore = undefined;
  }

  within<T>(label: string, work: () => T): T {
    return this.context.run(label, work);
  }

  /** Statement shapes (normalised text) and how often each was sent under `label`. */
  statements(label: string): [string, number][] {
    return [...(this.counts.get(label) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]);
  }

  total(label: string): number {
    return this.statements(label).reduce((sum, [, count]) => sum + count, 0);
  }

  reset(): void {
    this.counts.clear();
  }

  private record(label: string, text: string): void {
    const shape = normalise(text);
    let byShape = this.counts.get(label);
    if (byShape === undefined) this.counts.set(label, (byShape = new Map()));
    byShape.set(shape, (byShape.get(shape) ?? 0) + 1);
  }
}

/** One line, parameters already placeholders; long value lists folded so batches read as one shape. */
function normalise(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/(\(\$\d+(, ?\$\d+)*\))(, ?\(\$\d+(, ?\$\d+)*\))+/g, '$1, …')
    .replace(/\$\d+(, ?\$\d+){4,}/g, '$…')
    .trim()
    .slice(0, 160);
}
