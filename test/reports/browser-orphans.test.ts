import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../cli/context.js';

/** A process as /proc shows it: its parent, its state and when it started (to tell reuse). */
interface ProcessEntry {
  pid: number;
  name: string;
  parentPid: number;
  state: string;
  startTicks: string;
}

async function readProcess(pid: number): Promise<ProcessEntry | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // The command name, in parentheses, may hold spaces: the fields start after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    parentPid: Number(fields[1]),
    state: fields[0] ?? '',
    startTicks: fields[19] ?? '',
  };
}

async function allProcesses(): Promise<ProcessEntry[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const entries = await Promise.all(pids.map(readProcess));
  return entries.filter((entry): entry is ProcessEntry => entry !== undefined);
}

/**
 * Chromium's processes: the browser and every process under it (zygotes, renderers), and the
 * crash handlers it detaches at once (parent pid 1), known by the environment they inherit.
 */
async function chromiumProcesses(browserPid: number, marker: string): Promise<ProcessEntry[]> {
  const entries = await allProcesses();
  const tree = entries.filter((entry) => entry.pid === browserPid);
  for (let index = 0; index < tree.length; index += 1) {
    const parent = tree[index]?.pid;
    tree.push(...entries.filter((entry) => entry.parentPid === parent));
  }
  const detached = await Promise.all(
    entries
      .filter((entry) => entry.parentPid === 1)
      .map(async (entry) => {
        const environment = await readFile(`/proc/${entry.pid}/environ`, 'latin1').catch(() => '');
        return environment.split('\0').includes(marker) ? [entry] : [];
      }),
  );
  return [...tree, ...detached.flat()];
}

/** Whether the same process (not a later one given its pid) still runs; a zombie has ended. */
async function stillRunning(entry: ProcessEntry): Promise<boolean> {
  try {
    process.kill(entry.pid, 0);
  } catch {
    return false;
  }
  const now = await readProcess(entry.pid);
  return now !== undefined && now.startTicks === entry.startTicks && now.state !== 'Z';
}

describe('the report browser', () => {
  const folders: string[] = [];

  afterAll(async () => {
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('ends with every Chromium process when the process that launched it is SIGKILLed', async () => {
    // The child's profile folder goes here, so that nothing is left in the system's.
    const scratch = await mkdtemp(join(tmpdir(), 'terreze-browser-orphans-'));
    folders.push(scratch);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'test', 'reports', 'browser-holder.ts')],
      {
        cwd: packageRoot,
        env: { ...process.env, TMPDIR: scratch },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      child.once('exit', (_code, signal) => resolve(signal));
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const browserPid = await new Promise<number>((resolve, reject) => {
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk;
        const line = stdout.split('\n').find((text) => text.startsWith('{'));
        if (line !== undefined) resolve((JSON.parse(line) as { browserPid: number }).browserPid);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before launching: ${stderr}`)));
    });

    const chromium = await chromiumProcesses(browserPid, `TMPDIR=${scratch}`);
    expect(chromium.map((entry) => entry.pid)).toContain(browserPid);
    // The browser with its zygotes and renderers, and the two crash handlers.
    expect([...new Set(chromium.map((entry) => entry.name))].sort()).toEqual([
      'chrome_crashpad',
      'chromium',
    ]);
    expect(chromium.filter((entry) => entry.parentPid === 1).length).toBe(2);

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    let running = chromium;
    for (let poll = 0; poll < 200 && running.length > 0; poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const states = await Promise.all(running.map(stillRunning));
      running = running.filter((_entry, index) => states[index]);
    }
    // Ended here if the assertion below fails, so that a failing run leaves no orphan either.
    for (const entry of running) {
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {
        // Ended between the last poll and now.
      }
    }
    expect(running.map((entry) => `${entry.name} ${entry.pid}`)).toEqual([]);
  });
});
