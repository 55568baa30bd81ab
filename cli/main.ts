import { Command, CommanderError } from 'commander';
import { ConfigError, errorMessage } from '../lib/errors.js';
import { codeVersion } from '../lib/version.js';
import { registerDemo } from './commands/demo.js';
import { registerInfrastructure } from './commands/infrastructure.js';
import { registerOperations } from './commands/operations.js';

/** Exit codes: 0 done, 1 the work failed, 2 bad usage or configuration. */
const exitCodes = { failure: 1, usage: 2 } as const;

const program = new Command('terreze')
  .description('territorial carbon-neutrality data: collections, inventory, committee reports')
  .version(codeVersion)
  .option('--project <file>', 'project file (default: TERREZE_PROJECT, ./terreze.yaml, the demo)')
  .exitOverride();

registerDemo(program);
registerInfrastructure(program);
registerOperations(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : exitCodes.usage;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = exitCodes.usage;
  } else {
    process.stderr.write(`terreze: ${errorMessage(error)}\n`);
    process.exitCode = exitCodes.failure;
  }
}
