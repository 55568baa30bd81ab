import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../cli/context.js';
import { createLogger } from '../../lib/logger.js';
import { type DevServer, startDevServer } from '../../temporal/dev-server.js';

/** A real Temporal dev server of its own, on free ports, with its SQLite under the temp folder. */
export function startTestDevServer(): Promise<DevServer> {
  return startDevServer({
    projectRoot: packageRoot,
    databaseFile: join(mkdtempSync(join(tmpdir(), 'terreze-temporal-')), 'dev.sqlite'),
    explicitBinary: process.env.TERREZE_TEMPORAL_BIN,
    logger: createLogger({ level: 'error' }),
  });
}
