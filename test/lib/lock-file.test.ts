import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLockFile, LockFileError, type LockRecord } from '../../lib/lock-file.js';
import { currentPidNamespace } from '../../lib/processes.js';

/** The pid of a process that has ended. */
function endedPid(): number {
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(ended.stdout.toString());
}

function recordOf(pids: number[], pidNamespace = currentPidNamespace()): LockRecord {
  return {
    pids,
    pidNamespace,
    command: 'demo',
    startedAt: '2026-03-01T12:00:00.000Z',
    token: 'earlier',
    details: { workflowId: 'la-rochelle/cycle/2023/demo-1' },
  };
}

describe('lock files', () => {
  let folder: string;
  let file: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'terreze-lock-test-'));
    file = join(folder, 'demo.lock');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('is taken by one of two processes asking at once, with its pid, and released by it', async () => {
    const [first, second] = await Promise.all([
      acquireLockFile(file, 'demo', { workflowId: 'a' }),
      acquireLockFile(file, 'demo', { workflowId: 'b' }),
    ]);
    const outcomes = [first, second];
    const acquired = outcomes.flatMap((outcome) => ('acquired' in outcome ? [outcome] : []));
    const held = outcomes.flatMap((outcome) => ('heldBy' in outcome ? [outcome] : []));

    expect(acquired.length).toBe(1);
    expect(held.length).toBe(1);
    const record = JSON.parse(await readFile(file, 'utf8')) as LockRecord;
    expect(record.pids).toEqual([process.pid]);
    expect(held[0]?.heldBy).toEqual(record);
    expect(acquired[0]?.staleRecord).toBeUndefined();
    acquired[0]?.acquired.release();
    expect(existsSync(file)).toBe(false);
  });

  it("takes over a lock whose processes have ended, and hands back the stale lock's record", async () => {
    const stale = recordOf([endedPid(), endedPid()]);
    await writeFile(file, JSON.stringify(stale));

    const outcome = await acquireLockFile(file, 'demo');

    expect('acquired' in outcome && outcome.staleRecord).toEqual(stale);
    expect((JSON.parse(await readFile(file, 'utf8')) as LockRecord).pids).toEqual([process.pid]);
    // Nothing left beside it from the takeover.
    expect(await readdir(folder)).toEqual(['demo.lock']);
    if ('acquired' in outcome) outcome.acquired.release();
  });

  it('is held while one of its processes runs, or when another pid namespace wrote it', async () => {
    // The owner ended but the server it started runs on (here: this process).
    const serverRuns = recordOf([endedPid(), process.pid]);
    await writeFile(file, JSON.stringify(serverRuns));
    expect(await acquireLockFile(file, 'demo')).toEqual({ heldBy: serverRuns });

    const elsewhere = recordOf([endedPid()], 'another-host/pid:[4026531836]');
    await writeFile(file, JSON.stringify(elsewhere));
    expect(await acquireLockFile(file, 'demo')).toEqual({ heldBy: elsewhere });
  });

  it('records the processes a holder starts, and a release leaves a lock taken over by another', async () => {
    const outcome = await acquireLockFile(file, 'server');
    if (!('acquired' in outcome)) throw new Error('not acquired');
    await outcome.acquired.update({ pids: [4321], details: { address: '127.0.0.1:7233' } });
    const updated = JSON.parse(await readFile(file, 'utf8')) as LockRecord;
    expect(updated.pids).toEqual([process.pid, 4321]);
    expect(updated.details).toEqual({ address: '127.0.0.1:7233' });

    const other = recordOf([process.pid]);
    await writeFile(file, JSON.stringify(other));
    outcome.acquired.release();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(other);
  });

  it('refuses a lock file it did not write, naming it', async () => {
    await writeFile(file, 'pid=12\n');
    const error = await acquireLockFile(file, 'demo').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LockFileError);
    expect((error as Error).message).toBe(
      `lock file ${file} is not one terreze wrote; remove it if no terreze runs`,
    );
  });
});
