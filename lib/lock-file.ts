import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TerrezeError } from './errors.js';
import { currentPidNamespace, processRuns } from './processes.js';

/**
 * A lock file: created with O_EXCL, so that of two processes taking it at once only one
 * succeeds, holding the pid of its owner. An owner that died without removing it (SIGKILL, a
 * power cut) left a stale lock, which the next process takes over; a lock written in another
 * pid namespace (another host or container on a shared folder) cannot be judged, and is held.
 */

/** What a lock file holds. */
export interface LockRecord {
  /** The owner, and processes it started that use the locked resource (a server it spawned). */
  pids: number[];
  pidNamespace: string | undefined;
  command: string;
  startedAt: string;
  /** Tells this owner's lock from a later one at the same path. */
  token: string;
  details: Record<string, unknown>;
}

/** A lock this process holds; released on `release()` and, failing that, when it exits. */
export interface HeldLock {
  readonly file: string;
  record(): LockRecord;
  /** Records more processes or details (the owner's own pid stays first). */
  update(change: { pids?: number[]; details?: Record<string, unknown> }): Promise<void>;
  release(): void;
}

export type LockOutcome =
  | { acquired: HeldLock; staleRecord: LockRecord | undefined }
  | { heldBy: LockRecord };

/** A lock file that cannot be read, nor taken over safely: a person has to look. */
export class LockFileError extends TerrezeError {}

const maximumAttempts = 5;

function readRecord(text: string, file: string): LockRecord {
  try {
    const record = JSON.parse(text) as LockRecord;
    if (Array.isArray(record.pids) && typeof record.token === 'string') return record;
  } catch {
    // Reported below with the file's name.
  }
  throw new LockFileError(
    `lock file ${file} is not one terreze wrote; remove it if no terreze runs`,
    {
      file,
    },
  );
}

/** Whether the processes of a lock still run, as far as this process can tell. */
export function lockIsLive(record: LockRecord, pidNamespace = currentPidNamespace()): boolean {
  if (record.pidNamespace === undefined || record.pidNamespace !== pidNamespace) return true;
  return record.pids.some((pid) => processRuns(pid));
}

async function createExclusive(file: string, record: LockRecord): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(record)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Moves a stale lock aside, unless another process replaced it since it was read: the renamed
 * file is compared with what was judged stale, and a newer lock is linked back in place.
 */
async function removeStale(file: string, stale: LockRecord): Promise<void> {
  const aside = `${file}.stale-${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readRecord(await readFile(aside, 'utf8'), aside);
  if (moved.token !== stale.token) {
    await link(aside, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  await unlink(aside);
}

/** Takes the lock at `file` for this process, or says who holds it. */
export async function acquireLockFile(
  file: string,
  command: string,
  details: Record<string, unknown> = {},
): Promise<LockOutcome> {
  await mkdir(dirname(file), { recursive: true });
  let current: LockRecord = {
    pids: [process.pid],
    pidNamespace: currentPidNamespace(),
    command,
    startedAt: new Date().toISOString(),
    token: randomUUID(),
    details,
  };
  let staleRecord: LockRecord | undefined;

  for (let attempt = 0; attempt < maximumAttempts; attempt += 1) {
    if (await createExclusive(file, current)) {
      return {
        acquired: holdLock(
          file,
          () => current,
          (next) => {
            current = next;
          },
        ),
        staleRecord,
      };
    }
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    // Released between the two calls: try again.
    if (text === undefined) continue;
    if (text === '') {
      // Created but not yet filled by a process taking it now (or killed right then).
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    const existing = readRecord(text, file);
    if (lockIsLive(existing)) return { heldBy: existing };
    staleRecord = existing;
    await removeStale(file, existing);
  }
  throw new LockFileError(
    `lock file ${file} stayed empty or changed hands while taking it; remove it if no terreze runs`,
    { file },
  );
}

/**
 * Writes a stale record back where it was, unless a lock is there: a process that took it over
 * and could not finish what the record called for (ending a killed demo's cycle) leaves it to
 * the next one.
 */
export async function restoreStaleLock(file: string, record: LockRecord): Promise<void> {
  await writeFile(file, `${JSON.stringify(record)}\n`, { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
}

function holdLock(
  file: string,
  current: () => LockRecord,
  replace: (next: LockRecord) => void,
): HeldLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      // Only this owner's lock: a stale one taken over by another process stays theirs.
      if (readRecord(readFileSync(file, 'utf8'), file).token === current().token) unlinkSync(file);
    } catch {
      // Already gone, or not ours any more.
    }
  };
  // An exit without the command's own clean-up (a second Ctrl-C) still releases it.
  process.on('exit', release);

  return {
    file,
    record: current,
    async update(change) {
      const next = {
        ...current(),
        pids: [process.pid, ...(change.pids ?? current().pids.slice(1))],
        details: { ...current().details, ...change.details },
      };
      const temporary = `${file}.${randomUUID()}.tmp`;
      await writeFile(temporary, `${JSON.stringify(next)}\n`);
      await rename(temporary, file);
      replace(next);
    },
    release,
  };
}
