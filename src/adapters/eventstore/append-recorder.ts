import { AsyncLocalStorage } from 'node:async_hooks';
import { comparePositions, type GlobalPosition } from '../../domain/shared/messages.ts';
import type { EventStore } from './port.ts';

type Scope = { highest: GlobalPosition | null; onAppended: (highest: GlobalPosition) => void };

/**
 * Tells a unit of work (an HTTP request) how far its own appends reached in the log, without
 * threading a position through every service: the store is wrapped once, and each append reports
 * to whichever scope it runs in. Appends made outside any scope (reactors, projections) report
 * to nobody.
 */
export class AppendRecorder {
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private last: GlobalPosition | null = null;

  /** The highest position any append through this recorder reached: shutdown drains consumers up to it. */
  get highest(): GlobalPosition | null {
    return this.last;
  }

  record(work: () => void, onAppended: (highest: GlobalPosition) => void): void {
    this.scopes.run({ highest: null, onAppended }, work);
  }

  /** The same store, with `append` reporting its position; every other member is the store's own. */
  wrap<Store extends EventStore>(store: Store): Store {
    const scopes = this.scopes;
    const append: EventStore['append'] = async (stream, events, expectedRevision) => {
      const result = await store.append(stream, events, expectedRevision);
      if (this.last === null || comparePositions(result.position, this.last) > 0) this.last = result.position;
      const scope = scopes.getStore();
      if (scope && (scope.highest === null || comparePositions(result.position, scope.highest) > 0)) {
        scope.highest = result.position;
        scope.onAppended(result.position);
      }
      return result;
    };
    // A proxy rather than a class, so optional capabilities (verify, countEvents) stay visible.
    return new Proxy(store, {
      get(target, property) {
        if (property === 'append') return append;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
