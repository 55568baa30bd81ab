import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { currentPidNamespace, processRuns } from '../lib/processes.js';

/**
 * The scratch folders of collections (`<project>/tmp/<source>-<random suffix>/`): downloads and
 * conversions live there while a fetch runs, and the fetch removes its folder when it ends. A
 * worker killed mid-fetch cannot, so every fetch first sweeps the folders no live activity can
 * own. Several workers, on several hosts, may share the folder: a folder is removed only when
 * its owner is known dead, or when it has not been touched for longer than a live fetch ever
 * leaves it (the fetch touches it as often as it heartbeats).
 */

const ownerFile = '.owner.json';

/** Who wrote a scratch folder: a pid, meaningful only inside the same pid namespace. */
export interface ScratchOwner {
  pid: number;
  /** See `currentPidNamespace`; undefined where /proc does not tell. */
  pidNamespace: string | undefined;
}

/** A fetch's own scratch folder; `touch` tells sweepers of other processes it is in use. */
export interface ScratchFolder {
  path: string;
  touch(): Promise<void>;
}

/** Creates a scratch folder for `sourceId` under `scratchDir`, recording this process as owner. */
export async function createScratchFolder(
  scratchDir: string,
  sourceId: string,
): Promise<ScratchFolder> {
  await mkdir(scratchDir, { recursive: true });
  const path = await mkdtemp(join(scratchDir, `${sourceId}-`));
  const owner: ScratchOwner = { pid: process.pid, pidNamespace: currentPidNamespace() };
  await writeFile(join(path, ownerFile), `${JSON.stringify(owner)}\n`);
  return {
    path,
    async touch() {
      const now = new Date();
      // The folder may be gone already when the fetch ends between two touches.
      await utimes(path, now, now).catch(() => undefined);
    },
  };
}

async function ownerIsDead(folder: string, pidNamespace: string | undefined): Promise<boolean> {
  const text = await readFile(join(folder, ownerFile), 'utf8').catch(() => undefined);
  if (text === undefined || pidNamespace === undefined) return false;
  try {
    const owner = JSON.parse(text) as ScratchOwner;
    return owner.pidNamespace === pidNamespace && !processRuns(owner.pid);
  } catch {
    // Half written by a process that died right after creating the folder: the age decides.
    return false;
  }
}

export interface SweepOptions {
  /** A folder untouched for longer than this has no live fetch (twice the heartbeat timeout). */
  staleAfterMs: number;
  logger?: Logger;
  now?: Date;
  /** Overrides `currentPidNamespace()`, for tests of folders written elsewhere. */
  pidNamespace?: string | undefined;
}

/** Why a scratch folder was removed. */
export interface SweptFolder {
  folder: string;
  reason: 'owner-dead' | 'stale';
}

/** Removes the scratch folders under `scratchDir` that no live fetch can own; lists them. */
export async function sweepScratchFolders(
  scratchDir: string,
  options: SweepOptions,
): Promise<SweptFolder[]> {
  const entries = await readdir(scratchDir, { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      // No fetch ever ran here; any other failure is the operator's to see.
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  const nowMs = (options.now ?? new Date()).getTime();
  const pidNamespace = 'pidNamespace' in options ? options.pidNamespace : currentPidNamespace();
  const swept: SweptFolder[] = [];

  for (const entry of entries.filter((candidate) => candidate.isDirectory())) {
    const folder = join(scratchDir, entry.name);
    const info = await stat(folder).catch(() => undefined);
    if (info === undefined) continue;
    const stale = nowMs - info.mtimeMs > options.staleAfterMs;
    const reason = stale
      ? 'stale'
      : (await ownerIsDead(folder, pidNamespace))
        ? 'owner-dead'
        : undefined;
    if (reason === undefined) continue;
    try {
      await rm(folder, { recursive: true, force: true });
      swept.push({ folder, reason });
    } catch (error) {
      options.logger?.warn('scratch folder left: cannot remove it', {
        folder,
        error: errorMessage(error),
      });
    }
  }

  if (swept.length > 0) {
    options.logger?.info('scratch folders of ended fetches removed', {
      folders: swept.map((item) => item.folder),
      reasons: swept.map((item) => item.reason),
    });
  }
  return swept.sort((a, b) => a.folder.localeCompare(b.folder));
}
