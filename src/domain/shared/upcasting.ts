import { DomainError } from './errors.ts';

/**
 * Events are immutable, but their schemas move on. When a v2 of an event ships, old v1 records
 * stay in the store as they were; on read, an upcaster lifts each one step at a time
 * (v1 → v2 → v3...) so deciders, projections and webhooks only ever see the current shape.
 */

export type EventData = Record<string, unknown>;

/** Lifts one event's data from version `n` to `n + 1`. Must be pure. */
export type UpcastStep = (data: EventData) => EventData;

export class UpcastError extends DomainError {
  constructor(message: string, details: Record<string, unknown>) {
    super('UPCAST_FAILED', message, details);
    this.name = 'UpcastError';
  }
}

export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, UpcastStep>>();

  /**
   * @param currentVersions what new events of each type are written with (e.g. the aggregate's
   *   CURRENT_SCHEMA_VERSION). A type missing here is current at the highest registered step + 1.
   */
  constructor(private readonly currentVersions: Readonly<Record<string, number>> = {}) {}

  /** Adds the step from `fromVersion` to `fromVersion + 1` for `type`. */
  register(type: string, fromVersion: number, step: UpcastStep): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) {
      throw new UpcastError(`Upcaster versions start at 1 (got ${fromVersion}).`, { type, fromVersion });
    }
    const forType = this.steps.get(type) ?? new Map<number, UpcastStep>();
    if (forType.has(fromVersion)) {
      throw new UpcastError(`${type} already has an upcaster from v${fromVersion}.`, { type, fromVersion });
    }
    forType.set(fromVersion, step);
    this.steps.set(type, forType);
    return this;
  }

  currentVersion(type: string): number {
    const declared = this.currentVersions[type];
    if (declared !== undefined) return declared;
    const registered = [...(this.steps.get(type)?.keys() ?? [])];
    return registered.length === 0 ? 1 : Math.max(...registered) + 1;
  }

  /**
   * Brings `data` from `version` to the current version of `type`. Types this registry knows
   * nothing about (another aggregate's, or ones retired long ago) and events already current come
   * back untouched. An event newer than this code knows, or a gap in
   * the chain of steps, is an error: guessing would feed a decider data it misreads.
   */
  upcast(type: string, version: number, data: EventData): { schemaVersion: number; data: EventData } {
    if (!this.steps.has(type) && this.currentVersions[type] === undefined) {
      return { schemaVersion: version, data };
    }
    const current = this.currentVersion(type);
    if (version > current) {
      throw new UpcastError(
        `${type} v${version} is newer than this build understands (v${current}); deploy the newer code first.`,
        { type, version, current },
      );
    }
    const forType = this.steps.get(type);
    let lifted = data;
    for (let at = version; at < current; at += 1) {
      const step = forType?.get(at);
      if (!step) {
        throw new UpcastError(`No upcaster for ${type} from v${at} to v${at + 1}.`, { type, version: at, current });
      }
      lifted = step(lifted);
    }
    return { schemaVersion: current, data: lifted };
  }

  /** Upcasts a stored event, returning a copy whose data and metadata.schemaVersion are current. */
  upcastEvent<E extends { type: string; data: unknown; metadata: { schemaVersion: number } }>(event: E): E {
    const { schemaVersion, data } = this.upcast(event.type, event.metadata.schemaVersion, event.data as EventData);
    if (data === event.data && schemaVersion === event.metadata.schemaVersion) return event;
    return { ...event, data, metadata: { ...event.metadata, schemaVersion } };
  }
}
