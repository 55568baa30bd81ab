import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from './paths.js';

/**
 * Runs of a candidate in a child process, so that each has its own peak resident memory, and
 * the statistics the results report: medians and same-run ratios.
 */

export interface ChildRun<Result> {
  result: Result;
  /** Wall time of the whole child, start-up included. */
  wallMs: number;
  /** Peak resident set of the child (`/usr/bin/time -f %M`, else the child's own maxRSS). */
  peakRssMb: number;
}

const timeBinary = '/usr/bin/time';

/**
 * Runs `command args…` and parses the last stdout line as JSON. The child's stderr (its log
 * lines) is passed through so that a long run shows progress.
 */
export async function runChild<Result>(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; quietStderr?: boolean } = {},
): Promise<ChildRun<Result>> {
  const scratch = await mkdtemp(join(tmpdir(), 'terreze-bench-'));
  const rssFile = join(scratch, 'rss');
  const useTime = existsSync(timeBinary);
  const [program, programArgs] = useTime
    ? [timeBinary, ['-f', '%M', '-o', rssFile, command, ...args]]
    : [command, [...args]];
  const started = performance.now();
  const child = spawn(program, programArgs, {
    cwd: repositoryRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', options.quietStderr ? 'ignore' : 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const code: number = await new Promise((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  try {
    if (code !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} exited with code ${code}: ${stdout.slice(-2000)}`,
      );
    }
    const lines = stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]!) as Result & { maxRssKb?: number };
    const timed = useTime
      ? Number((await readFile(rssFile, 'utf8')).trim().split('\n').pop())
      : NaN;
    const rssKb = Number.isFinite(timed) ? timed : (result.maxRssKb ?? NaN);
    return { result, wallMs, peakRssMb: rssKb / 1024 };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Arguments that run a TypeScript file of the repository with Node and tsx. */
export function tsxArgs(script: string, nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, '--import', 'tsx', join(repositoryRoot, script)];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs each candidate `runs` times, interleaved and in a rotating order, so noise hits all. */
export async function interleaved<Name extends string, Sample>(
  names: readonly Name[],
  runs: number,
  runOnce: (name: Name, run: number) => Promise<Sample>,
): Promise<Record<Name, Sample[]>> {
  const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<
    Name,
    Sample[]
  >;
  for (let run = 0; run < runs; run += 1) {
    for (let offset = 0; offset < names.length; offset += 1) {
      const name = names[(run + offset) % names.length]!;
      samples[name].push(await runOnce(name, run));
    }
  }
  return samples;
}

/** Current maxRSS of this process, in kilobytes, for a child to report. */
export function ownMaxRssKb(): number {
  return process.resourceUsage().maxRSS;
}
