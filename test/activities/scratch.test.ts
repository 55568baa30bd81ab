import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScratchFolder, sweepScratchFolders } from '../../activities/scratch.js';
import { currentPidNamespace } from '../../lib/processes.js';

const minuteMs = 60_000;
// Twice the demo project's heartbeat timeout of 2 minutes.
const staleAfterMs = 4 * minuteMs;

/** The pid of a process that has ended. */
function deadPid(): number {
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(ended.stdout.toString());
}

describe('scratch folders of collections', () => {
  let scratchDir: string;
  const now = new Date('2026-03-01T12:00:00Z');

  beforeEach(async () => {
    scratchDir = await mkdtemp(join(tmpdir(), 'terreze-scratch-test-'));
  });

  afterEach(async () => {
    await rm(scratchDir, { recursive: true, force: true });
  });

  /** A folder as a fetch leaves it: a partial download, an owner, a last change `ageMs` ago. */
  async function leftFolder(name: string, ageMs: number, owner?: object): Promise<void> {
    const folder = join(scratchDir, name);
    await mkdir(folder);
    await writeFile(join(folder, 'export.json.partial'), '{"results": [');
    if (owner !== undefined) await writeFile(join(folder, '.owner.json'), JSON.stringify(owner));
    const changed = new Date(now.getTime() - ageMs);
    await utimes(folder, changed, changed);
  }

  it('removes folders untouched for longer than twice the heartbeat timeout, and no other', async () => {
    const here = currentPidNamespace();
    await leftFolder('sdes-heat-networks-old', staleAfterMs + 1000, {
      pid: process.pid,
      pidNamespace: here,
    });
    await leftFolder('transit-gtfs-unowned', staleAfterMs + 1000);
    await leftFolder('enedis-residential-electricity-live', staleAfterMs - 1000, {
      pid: process.pid,
      pidNamespace: here,
    });
    await leftFolder('transit-gtfs-starting', 0);

    const swept = await sweepScratchFolders(scratchDir, { staleAfterMs, now });

    expect(swept).toEqual([
      { folder: join(scratchDir, 'sdes-heat-networks-old'), reason: 'stale' },
      { folder: join(scratchDir, 'transit-gtfs-unowned'), reason: 'stale' },
    ]);
    expect((await readdir(scratchDir)).sort()).toEqual([
      'enedis-residential-electricity-live',
      'transit-gtfs-starting',
    ]);
  });

  it('removes a recent folder whose owner has ended, when its pid names a process here', async () => {
    const pid = deadPid();
    await leftFolder('transit-gtfs-killed', minuteMs, { pid, pidNamespace: 'host-a/pid:[1]' });
    await leftFolder('transit-gtfs-elsewhere', minuteMs, { pid, pidNamespace: 'host-b/pid:[2]' });
    await leftFolder('transit-gtfs-garbled', minuteMs);
    await writeFile(join(scratchDir, 'transit-gtfs-garbled', '.owner.json'), '{"pid": 1');

    const swept = await sweepScratchFolders(scratchDir, {
      staleAfterMs,
      now,
      pidNamespace: 'host-a/pid:[1]',
    });

    // Another host's pid says nothing here, and a half-written owner leaves the age to decide.
    expect(swept).toEqual([
      { folder: join(scratchDir, 'transit-gtfs-killed'), reason: 'owner-dead' },
    ]);
    expect((await readdir(scratchDir)).sort()).toEqual([
      'transit-gtfs-elsewhere',
      'transit-gtfs-garbled',
    ]);
  });

  it('keeps a recent folder whose owner runs, even with no pid namespace known', async () => {
    await leftFolder('transit-gtfs-live', minuteMs, {
      pid: process.pid,
      pidNamespace: 'host-a/pid:[1]',
    });

    expect(
      await sweepScratchFolders(scratchDir, { staleAfterMs, now, pidNamespace: 'host-a/pid:[1]' }),
    ).toEqual([]);
    expect(
      await sweepScratchFolders(scratchDir, { staleAfterMs, now, pidNamespace: undefined }),
    ).toEqual([]);
    expect(await readdir(scratchDir)).toEqual(['transit-gtfs-live']);
  });

  it('creates a folder naming this process as owner, which a touch keeps from going stale', async () => {
    const folder = await createScratchFolder(join(scratchDir, 'tmp'), 'transit-gtfs');

    expect(folder.path.startsWith(join(scratchDir, 'tmp', 'transit-gtfs-'))).toBe(true);
    expect(JSON.parse(await readFile(join(folder.path, '.owner.json'), 'utf8'))).toEqual({
      pid: process.pid,
      pidNamespace: currentPidNamespace(),
    });
    const untouched = await createScratchFolder(join(scratchDir, 'tmp'), 'sdes-heat-networks');
    const longAgo = new Date('2020-01-01T00:00:00Z');
    await utimes(folder.path, longAgo, longAgo);
    await utimes(untouched.path, longAgo, longAgo);
    await folder.touch();

    expect(await sweepScratchFolders(join(scratchDir, 'tmp'), { staleAfterMs })).toEqual([
      { folder: untouched.path, reason: 'stale' },
    ]);
    expect(await readdir(join(scratchDir, 'tmp'))).toEqual([basename(folder.path)]);
  });

  it('sweeps nothing where no fetch ever ran', async () => {
    expect(await sweepScratchFolders(join(scratchDir, 'absent'), { staleAfterMs })).toEqual([]);
  });
});
