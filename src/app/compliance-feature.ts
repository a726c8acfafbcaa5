import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { EventStore } from '../adapters/eventstore/port.ts';
import type { AccountSettings } from '../commands/calls/call-service.ts';
import type { PlacementStep } from '../commands/calls/placement.ts';
import { dncPlacement } from '../commands/dnc/dnc-placement.ts';
import { DncService, type DncCaller, type DncImportSettings, type DncOwner } from '../commands/dnc/dnc-service.ts';
import type { DncReadOptions, DncScreen } from '../commands/dnc/port.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { isPhoneCountry } from '../domain/shared/phone.ts';
import type { GlobalPosition } from '../domain/shared/messages.ts';
import type { OperatorContext } from '../http/billing-dependencies.ts';
import type { RequestContext } from '../http/dependencies.ts';
import type { DncDependencies } from '../http/dnc-dependencies.ts';
import { DncQueries } from '../projections/dnc/queries.ts';
import { OptOutReactor } from '../reactors/opt-out.ts';
import { ConfigError, type EngineConfig } from './config.ts';

/** Read by src/app/settings.ts, which checks every setting at start. */
export const schema = z.object({
  DNC_IMPORT_MAX_BYTES: z.coerce.number().int().min(1).max(1024 * 1024 * 1024).default(64 * 1024 * 1024),
  DNC_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(1_000_000),
  DNC_IMPORT_MAX_ERRORS: z.coerce.number().int().min(0).max(100_000).default(100),
  DNC_IMPORT_CHUNK_ROWS: z.coerce.number().int().min(1).max(10_000).default(5000),
  /** How national numbers on the operator-wide list are read; an international number needs none. */
  DNC_OPERATOR_DEFAULT_COUNTRY: z.string().refine(isPhoneCountry, 'Must be an ISO 3166 alpha-2 country code, e.g. PK').default('US'),
});

export function loadDncSettings(config: Pick<EngineConfig, 'env'>): DncImportSettings {
  const parsed = schema.safeParse(config.env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const c = parsed.data;
  return {
    csv: { maxBytes: c.DNC_IMPORT_MAX_BYTES, maxRows: c.DNC_IMPORT_MAX_ROWS, maxErrors: c.DNC_IMPORT_MAX_ERRORS },
    chunkRows: c.DNC_IMPORT_CHUNK_ROWS,
    chunkBytes: 512 * 1024,
    operatorCountry: c.DNC_OPERATOR_DEFAULT_COUNTRY,
  };
}

export type ComplianceFeatureOptions = {
  readonly config: EngineConfig;
  readonly store: EventStore;
  readonly db: Kysely<any>;
  readonly clock: Clock;
  readonly accounts: AccountSettings;
  readonly isOperatorKey: (token: string) => Promise<boolean>;
  /** Resolves once every read model includes `position`: a write is answered with what a read will show. */
  readonly waitFor: (position: GlobalPosition | null) => Promise<void>;
  /** Resolves once the do-not-call read model alone includes `position` (the dial-time check waits on it). */
  readonly waitForDnc: (position: GlobalPosition, timeoutMs?: number) => Promise<void>;
  readonly logger?: { error(message: string, fields?: object): void };
};

/**
 * Do-not-call lists, wired: the list commands, the read model every check reads, the placement
 * step that refuses POST /calls with 451, and the HTTP side. `screen` is the port the campaign
 * dialer and enrollment use, so a number is judged in one place. `optOuts` lists the numbers of
 * callees who press a call's opt-out key.
 */
export class ComplianceFeature {
  readonly service: DncService;
  readonly queries: DncQueries;
  readonly screen: DncScreen;
  /** Goes before the balance hold: a refused call holds no money. */
  readonly placement: PlacementStep;
  readonly optOuts: OptOutReactor;

  constructor(private readonly options: ComplianceFeatureOptions) {
    this.queries = new DncQueries(options.db);
    this.service = new DncService(
      options.store,
      options.clock,
      options.accounts,
      async (phone) => (await this.queries.entryOn(null, phone)) !== null,
      loadDncSettings(options.config),
    );
    const queries = this.queries;
    const caughtUp = async (read: DncReadOptions | undefined) => {
      if (read?.after) await options.waitForDnc(read.after, read.waitMs);
    };
    this.screen = {
      async check(tenantId, phone, read) {
        await caughtUp(read);
        return queries.check(tenantId, phone);
      },
      async listedAmong(tenantId, phones, read) {
        await caughtUp(read);
        return queries.listedAmong(tenantId, phones);
      },
    };
    this.placement = dncPlacement(this.screen);
    this.optOuts = new OptOutReactor(options.db, options.store, this.service, options.logger ? { logger: options.logger } : {});
  }

  start(): Promise<void> {
    return this.optOuts.start();
  }

  stop(): Promise<void> {
    return this.optOuts.stop();
  }

  http(): { dnc: DncDependencies } {
    const { service, queries } = this;
    const { waitFor, isOperatorKey } = this.options;
    const tenant = (ctx: RequestContext): DncOwner => ({ scope: 'tenant', tenantId: ctx.principal.tenantId });
    const asTenant = (ctx: RequestContext): DncCaller => ({ owner: tenant(ctx), actor: ctx.principal.actor, correlationId: ctx.correlationId, requestId: ctx.requestId });
    const asOperator = (ctx: OperatorContext): DncCaller => ({ owner: { scope: 'operator' }, ...ctx });
    const tenantIdOf = (owner: DncOwner) => (owner.scope === 'tenant' ? owner.tenantId : null);
    const entryAfter = async (caller: DncCaller, phone: string, position: GlobalPosition | null) => {
      await waitFor(position);
      const entry = await queries.entryOn(tenantIdOf(caller.owner), phone);
      if (!entry) throw new Error(`The do-not-call entry for ${phone} is not in the read model after its write`);
      return entry;
    };
    const add = async (caller: DncCaller, input: { phone: string; reason: string | null }) => {
      const { phone, position } = await service.add(caller, input);
      return entryAfter(caller, phone, position);
    };
    const remove = async (caller: DncCaller, input: { phone: string; reason: string | null }) => {
      await waitFor((await service.remove(caller, input)).position);
    };
    const importCsv = async (caller: DncCaller, file: Uint8Array, reason: string | null) => {
      const outcome = await service.importCsv(caller, file, reason);
      // The import is in the log either way; a large one may take the read model longer than the wait.
      await waitFor(outcome.position).catch(() => undefined);
      return outcome;
    };
    return {
      dnc: {
        maxImportBytes: service.settings.csv.maxBytes,
        isOperator: isOperatorKey,
        check: async (ctx, raw) => {
          const phone = await service.normalise(tenant(ctx), raw);
          return { phone, listing: await queries.check(ctx.principal.tenantId, phone) };
        },
        list: (tenantId, page) => queries.list(tenantId, page),
        add: (ctx, input) => add(asTenant(ctx), input),
        remove: (ctx, input) => remove(asTenant(ctx), input),
        importCsv: (ctx, file, reason) => importCsv(asTenant(ctx), file, reason),
        operator: {
          check: async (_ctx, raw) => {
            const phone = await service.normalise({ scope: 'operator' }, raw);
            return { phone, listing: await queries.entryOn(null, phone) };
          },
          list: (page) => queries.listOperator(page),
          add: (ctx, input) => add(asOperator(ctx), input),
          remove: (ctx, input) => remove(asOperator(ctx), input),
          importCsv: (ctx, file, reason) => importCsv(asOperator(ctx), file, reason),
        },
      },
    };
  }
}
