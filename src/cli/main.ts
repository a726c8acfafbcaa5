#!/usr/bin/env -S npx tsx
/**
 * `calltrail` — the operator's command line. `npm run cli -- <subcommand>` or, once installed,
 * `calltrail <subcommand>`; `calltrail --help` lists them.
 */
import { storesFromEnvironment } from './context.ts';
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
  openStores: storesFromEnvironment(process.env),
  env: process.env,
});
process.exit(code);
