import { auditCommand } from './audit.ts';
import { balanceCommand } from './balance.ts';
import { exportCommand } from './export.ts';
import { initCommand } from './init.ts';
import { operatorCommand } from './operator.ts';
import { replayCommand } from './replay.ts';
import type { CliCommand } from './types.ts';
import { verifyCommand } from './verify.ts';

/** Every subcommand, in the order `calltrail --help` lists them. */
export const commands: readonly CliCommand[] = [initCommand, operatorCommand, verifyCommand, replayCommand, auditCommand, balanceCommand, exportCommand];
