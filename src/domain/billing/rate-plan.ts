import { z } from 'zod';
import { DomainError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { isCurrency } from '../shared/money.ts';
import { RateEntrySchema, type RateEntry } from './rating.ts';

/**
 * A rate plan: a list of destination prefixes with their rates, kept in versions. A revision is a
 * new version that applies from a time that is never in the past, so a call is always rated with
 * the version that was in force when it was placed, and replaying a dispute finds that version.
 */

const instant = z.iso.datetime({ offset: true });
const planId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const rates = z
  .array(RateEntrySchema)
  .min(1)
  .max(10_000)
  .superRefine((entries, ctx) => {
    const prefixes = new Set<string>();
    const ids = new Set<string>();
    entries.forEach((entry, index) => {
      if (prefixes.has(entry.prefix)) ctx.addIssue({ code: 'custom', path: [index, 'prefix'], message: `Prefix ${entry.prefix} appears twice` });
      if (ids.has(entry.rateId)) ctx.addIssue({ code: 'custom', path: [index, 'rateId'], message: `Rate id ${entry.rateId} appears twice` });
      prefixes.add(entry.prefix);
      ids.add(entry.rateId);
    });
  });

export const RatePlanCreated = z.object({
  planId,
  name: z.string().min(1).max(200),
  currency: z.string().refine(isCurrency, 'must be an ISO 4217 currency code'),
  version: z.literal(1),
  effectiveFrom: instant,
  rates,
  createdAt: instant,
});

export const RatePlanRevised = z.object({
  planId,
  version: z.number().int().min(2),
  effectiveFrom: instant,
  rates,
  revisedAt: instant,
});

export const ratePlanEventSchemas = { RatePlanCreated, RatePlanRevised } as const;
export type RatePlanEventType = keyof typeof ratePlanEventSchemas;
export type RatePlanEvent = {
  [K in RatePlanEventType]: { readonly type: K; readonly data: z.infer<(typeof ratePlanEventSchemas)[K]> };
}[RatePlanEventType];
export const RATE_PLAN_SCHEMA_VERSION: Record<RatePlanEventType, number> = { RatePlanCreated: 1, RatePlanRevised: 1 };

export type CreateRatePlan = {
  readonly type: 'CreateRatePlan';
  readonly data: { planId: string; name: string; currency: string; rates: RateEntry[]; at: string };
};
/** `effectiveFrom` null means "from now" (the command's `at`). */
export type ReviseRatePlan = {
  readonly type: 'ReviseRatePlan';
  readonly data: { planId: string; rates: RateEntry[]; effectiveFrom: string | null; at: string };
};
export type RatePlanCommand = CreateRatePlan | ReviseRatePlan;

export type RatePlanVersion = { readonly version: number; readonly effectiveFrom: string; readonly rates: readonly RateEntry[] };

export type RatePlanState =
  | { readonly status: 'Initial' }
  | {
      readonly status: 'Active';
      readonly planId: string;
      readonly name: string;
      readonly currency: string;
      readonly createdAt: string;
      /** Oldest first; effectiveFrom never decreases. */
      readonly versions: readonly RatePlanVersion[];
    };

export const initialRatePlanState = (): RatePlanState => ({ status: 'Initial' });

export function evolveRatePlan(state: RatePlanState, event: { readonly type: string; readonly data: unknown }): RatePlanState {
  if (event.type === 'RatePlanCreated' && state.status === 'Initial') {
    const data = event.data as z.infer<typeof RatePlanCreated>;
    return {
      status: 'Active',
      planId: data.planId,
      name: data.name,
      currency: data.currency,
      createdAt: data.createdAt,
      versions: [{ version: 1, effectiveFrom: data.effectiveFrom, rates: data.rates }],
    };
  }
  if (event.type === 'RatePlanRevised' && state.status === 'Active') {
    const data = event.data as z.infer<typeof RatePlanRevised>;
    if (state.versions.some((v) => v.version === data.version)) return state;
    return { ...state, versions: [...state.versions, { version: data.version, effectiveFrom: data.effectiveFrom, rates: data.rates }] };
  }
  return state;
}

function emit<K extends RatePlanEventType>(type: K, data: z.input<(typeof ratePlanEventSchemas)[K]>): RatePlanEvent {
  const checked = ratePlanEventSchemas[type].safeParse(data);
  if (!checked.success) {
    throw new ValidationError(`The rate plan is not valid.`, {
      issues: checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return { type, data: checked.data } as RatePlanEvent;
}

/**
 * | command \ state | Initial                     | Active                                               |
 * |-----------------|-----------------------------|------------------------------------------------------|
 * | CreateRatePlan  | RatePlanCreated (version 1) | same name, currency, rates → []; else RATE_PLAN_ALREADY_EXISTS |
 * | ReviseRatePlan  | 404 RATE_PLAN_NOT_FOUND     | RatePlanRevised (next version); effectiveFrom before now or before the latest version → RATE_CHANGE_IN_THE_PAST |
 */
export function decideRatePlan(command: RatePlanCommand, state: RatePlanState): RatePlanEvent[] {
  switch (command.type) {
    case 'CreateRatePlan': {
      const { planId: id, name, currency, rates: entries, at } = command.data;
      if (state.status === 'Active') {
        const same = state.name === name && state.currency === currency && JSON.stringify(state.versions[0]?.rates) === JSON.stringify(entries);
        if (same) return [];
        throw new DomainError('RATE_PLAN_ALREADY_EXISTS', `Rate plan ${id} already exists.`, { plan_id: id });
      }
      return [emit('RatePlanCreated', { planId: id, name, currency, version: 1, effectiveFrom: at, rates: entries, createdAt: at })];
    }
    case 'ReviseRatePlan': {
      const { planId: id, rates: entries, at } = command.data;
      if (state.status === 'Initial') throw new NotFoundError('RATE_PLAN_NOT_FOUND', `Rate plan ${id} does not exist.`, { plan_id: id });
      const effectiveFrom = command.data.effectiveFrom ?? at;
      const latest = state.versions.at(-1)!;
      if (Date.parse(effectiveFrom) < Date.parse(at) || Date.parse(effectiveFrom) < Date.parse(latest.effectiveFrom)) {
        throw new DomainError(
          'RATE_CHANGE_IN_THE_PAST',
          'A rate change applies from now or later, and never before the plan\'s latest version: charges already made are never revalued.',
          { effective_from: effectiveFrom, now: at, latest_effective_from: latest.effectiveFrom },
        );
      }
      return [emit('RatePlanRevised', { planId: id, version: latest.version + 1, effectiveFrom, rates: entries, revisedAt: at })];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown rate plan command: ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The version in force at `at`: the latest whose effectiveFrom is not after it. Null before the plan existed. */
export function planVersionAt(state: RatePlanState, at: string): RatePlanVersion | null {
  if (state.status !== 'Active') return null;
  const when = Date.parse(at);
  let found: RatePlanVersion | null = null;
  for (const version of state.versions) if (Date.parse(version.effectiveFrom) <= when) found = version;
  return found;
}

export const ratePlanDecider = {
  initialState: initialRatePlanState,
  evolve: evolveRatePlan,
  decide: decideRatePlan,
};
