import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { checkTenantRequest, initialise, type InitRequest, type TenantRequest } from '../first-access.ts';
import { initJson, initText } from '../reports/first-access-text.ts';
import { json } from '../reports/format.ts';
import type { CliCommand } from './types.ts';

type InitOptions = {
  rotate?: boolean;
  json?: boolean;
  tenantName?: string;
  ownerEmail?: string;
  ownerName?: string;
  ownerPassword?: string;
  country: string;
  currency: string;
  timeZone: string;
};

export const INIT_EXIT_CODES =
  'Exit codes: 0 done (a tenant that already exists with that owner is reported and left alone), ' +
  '1 refused (an operator key is already in force without --rotate, or the tenant name is taken by another owner; nothing was changed), ' +
  '2 bad usage, 3 could not run.';

/** Runs init and prints its secrets once, to stdout only. Shared with `operator create-key`. */
export async function runInit(context: CliContext, request: InitRequest, asJson: boolean): Promise<void> {
  const stores = await context.openStores();
  try {
    const result = await initialise(stores, context, request);
    context.stdout.write(asJson ? json(initJson(result)) : initText(result));
  } finally {
    await stores.close();
  }
}

function tenantOf(options: InitOptions): TenantRequest | null {
  if (options.tenantName === undefined) {
    if (options.ownerEmail !== undefined || options.ownerPassword !== undefined) {
      throw new CliError('--owner-email and --owner-password need --tenant-name', EXIT.usage);
    }
    return null;
  }
  if (options.ownerPassword !== undefined && options.ownerEmail === undefined) throw new CliError('--owner-password needs --owner-email', EXIT.usage);
  return checkTenantRequest({
    name: options.tenantName,
    ownerEmail: options.ownerEmail ?? null,
    ownerName: options.ownerName ?? '',
    ownerPassword: options.ownerPassword ?? null,
    defaultCountry: options.country,
    currency: options.currency,
    timeZone: options.timeZone,
  });
}

/** `init`: the first access to an engine with a real PBX, where no sandbox key is printed. */
export const initCommand: CliCommand = {
  name: 'init',
  register(program: Command, context, finish) {
    program
      .command('init')
      .description('make the operator key and, optionally, a first tenant with an owner; prints each secret once')
      .option('--rotate', 'replace an operator key already in force (the old one stops working at once)')
      .option('--tenant-name <name>', 'also open a first tenant with this name, with an owner API key')
      .option('--owner-email <email>', "the tenant owner's login")
      .option('--owner-name <name>', "the owner's display name")
      .option('--owner-password <password>', 'the owner password (at least 10 characters); generated and printed once when left out')
      .option('--country <code>', "the tenant's default country for national numbers", 'PK')
      .option('--currency <code>', 'the currency the tenant is billed in', 'PKR')
      .option('--time-zone <zone>', "the tenant's IANA time zone", 'Asia/Karachi')
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        [
          '',
          'The operator key is written to the event log as a hash (OperatorKeyIssued on the operator-keys stream);',
          'the engine accepts it from there with no change to its environment, and OPERATOR_API_KEY_HASH still works beside it.',
          'Run it once against the same DATABASE_URL / EVENTSTORE_URL as the engine (with PGlite, stop the engine first):',
          '  calltrail init --tenant-name "Acme" --owner-email owner@acme.example',
          'A password on the command line lands in the shell history: leave --owner-password out to get a generated one.',
          INIT_EXIT_CODES,
        ].join('\n'),
      )
      .action(async (options: InitOptions) => {
        await runInit(context, { rotate: options.rotate === true, tenant: tenantOf(options) }, options.json === true);
        finish(EXIT.ok);
      });
  },
};
