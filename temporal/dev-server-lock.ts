import { acquireLockFile, type HeldLock, type LockRecord } from '../lib/lock-file.js';
import { UsageError } from './errors.js';

/**
 * The dev server's SQLite file takes one server: a second one on the same file fails with
 * SQLITE_BUSY, or worse, both run and each sees a history the other changes. The process that
 * starts a server locks the file beside it first (`dev.sqlite.lock`), and records the server's
 * pid there too, since a server outlives a terreze process killed outright.
 */

/** Another process runs a dev server on the SQLite file this one was asked to use. */
export class DatabaseInUseError extends UsageError {}

function holderName(record: LockRecord): string {
  if (record.command === 'server') return 'terreze server';
  if (record.command === 'demo') return 'a demo';
  return `terreze ${record.command}`;
}

/** "pid 12" or "pid 12, its dev server pid 34": who to stop. */
export function describeLockPids(record: LockRecord): string {
  const [owner, ...started] = record.pids;
  const server = started.length > 0 ? `, its dev server pid ${started.join(', ')}` : '';
  return `pid ${owner ?? 'unknown'}${server}`;
}

/** Locks `databaseFile` for a dev server started by this process, acting as `role`. */
export async function lockDevDatabase(databaseFile: string, role: string): Promise<HeldLock> {
  const outcome = await acquireLockFile(`${databaseFile}.lock`, role);
  if ('acquired' in outcome) return outcome.acquired;

  const holder = outcome.heldBy;
  const address = typeof holder.details.address === 'string' ? holder.details.address : undefined;
  const reuse = address && role === 'demo' ? `, or run on it with TEMPORAL_ADDRESS=${address}` : '';
  const subject = role === 'demo' ? 'this demo' : 'this one';
  throw new DatabaseInUseError(
    `${holderName(holder)} (${describeLockPids(holder)}) runs a Temporal dev server on ` +
      `${databaseFile}; stop it, or give ${subject} another TERREZE_HOME${reuse}`,
    { databaseFile, holder },
  );
}
