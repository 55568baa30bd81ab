import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import { repositoryRoot } from './paths.js';

/**
 * dlt for the peer benchmark, installed from PyPI into the project's own `.tools/dlt` (never
 * into the system's Python), pinned, on first use.
 */

export const dltVersion = '1.31.0';
export const dltDir = join(repositoryRoot, '.tools', 'dlt');

export function ensureDlt(logger: Logger): { python: string; env: NodeJS.ProcessEnv } {
  const python = process.env.TERREZE_PYTHON ?? 'python3';
  const marker = join(dltDir, `dlt-${dltVersion}.dist-info`);
  if (!existsSync(marker)) {
    logger.info('installing dlt from PyPI', { version: dltVersion, target: dltDir });
    execFileSync(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-warn-script-location',
        '--upgrade',
        '--target',
        dltDir,
        `dlt[duckdb,parquet]==${dltVersion}`,
      ],
      { stdio: 'inherit' },
    );
  }
  return {
    python,
    env: {
      PYTHONPATH: dltDir,
      // dlt reports anonymous usage by default; nothing may leave this machine.
      RUNTIME__DLTHUB_TELEMETRY: 'false',
      DLT_DATA_DIR: join(repositoryRoot, 'var', 'bench', 'dlt-home'),
    },
  };
}
