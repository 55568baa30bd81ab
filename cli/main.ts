import { Command, CommanderError } from 'commander';
import { ConfigError, errorMessage } from '../lib/errors.js';
import { codeVersion } from '../lib/version.js';
import { registerApprovals } from './commands/approvals.js';
import { registerBackfill } from './commands/backfill.js';
import { registerConnector } from './commands/connector.js';
import { registerDemo } from './commands/demo.js';
import { registerInfrastructure } from './commands/infrastructure.js';
import { registerOperations } from './commands/operations.js';
import { registerReport } from './commands/report.js';
import { registerSchedules } from './commands/schedules.js';
import { registerStatus } from './commands/status.js';
import { exitCodeOf } from './exit-codes.js';

const program = new Command('terreze')
  .description('territorial carbon-neutrality data: collections, inventory, committee reports')
  .version(codeVersion)
  .option('--project <file>', 'project file (default: TERREZE_PROJECT, ./terreze.yaml, the demo)')
  .exitOverride();

registerDemo(program);
registerInfrastructure(program);
registerOperations(program);
registerConnector(program);
registerReport(program);
registerSchedules(program);
registerBackfill(program);
registerApprovals(program);
registerStatus(program);
(await import('./commands/inventory.js')).registerInventory(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander already printed its own usage errors.
  if (!(error instanceof CommanderError)) {
    const prefix = error instanceof ConfigError ? '' : 'terreze: ';
    process.stderr.write(`${prefix}${errorMessage(error)}\n`);
  }
  process.exitCode = exitCodeOf(error);
}
