import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../cli/context.js';

/** A finished `terreze` process: its exit code (or signal) and what it printed. */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `terreze` process, with what it printed so far. */
export interface RunningTerreze {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Settles once stderr contains the text. */
  stderrContains(text: string): Promise<void>;
  /** Settles once stdout contains the text. */
  stdoutContains(text: string): Promise<void>;
  finished: Promise<Run>;
}

/** Starts `node bin/terreze.js …` as a real process, from `cwd` (the repository by default). */
export function startTerreze(
  args: string[],
  options: { environment?: NodeJS.ProcessEnv; cwd?: string; detached?: boolean } = {},
): RunningTerreze {
  const child = spawn(process.execPath, [join(packageRoot, 'bin', 'terreze.js'), ...args], {
    cwd: options.cwd ?? packageRoot,
    env: { ...process.env, ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const output = { stdout: '', stderr: '' };
  const waiting: { stream: 'stdout' | 'stderr'; text: string; resolve: () => void }[] = [];
  const listen = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    output[stream] += chunk;
    for (const waiter of waiting) {
      if (waiter.stream === stream && output[stream].includes(waiter.text)) waiter.resolve();
    }
  };
  child.stdout?.on('data', listen('stdout'));
  child.stderr?.on('data', listen('stderr'));
  const finished = new Promise<Run>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, ...output }));
  });
  const contains = (stream: 'stdout' | 'stderr', text: string) =>
    output[stream].includes(text)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiting.push({ stream, text, resolve })),
          finished.then((run) => {
            throw new Error(`terreze exited ${run.code} before printing "${text}": ${run.stderr}`);
          }),
        ]);
  return {
    child,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    stderrContains: (text) => contains('stderr', text),
    stdoutContains: (text) => contains('stdout', text),
    finished,
  };
}

/** Runs `node bin/terreze.js …` to its end. */
export function terreze(
  args: string[],
  options: { environment?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<Run> {
  return startTerreze(args, options).finished;
}
