import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProviderDataError } from './data-files.js';
import { type Simulator, startSimulator } from './server.js';

/**
 * Starts the providers' simulator from the command line and prints its URL on stdout:
 * `TERREZE_PROVIDER_DATA` (default `../shared/data` from the repository root) and `TERREZE_SIMULATOR_PORT` (default 0,
 * a free port). Stops on SIGINT or SIGTERM.
 */

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const configured = process.env.TERREZE_PROVIDER_DATA;
const dataDir =
  configured === undefined || configured === ''
    ? resolve(repositoryRoot, '../shared/data')
    : resolve(configured);
const portText = process.env.TERREZE_SIMULATOR_PORT ?? '0';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`TERREZE_SIMULATOR_PORT must be a port number, got "${portText}"\n`);
  process.exit(2);
}

let simulator: Simulator;
try {
  simulator = await startSimulator({ dataDir, port });
} catch (error) {
  if (!(error instanceof ProviderDataError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
process.stdout.write(`${simulator.url}\n`);

const stop = () => {
  simulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
