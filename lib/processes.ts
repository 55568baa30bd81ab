import { readFileSync, readlinkSync } from 'node:fs';

/**
 * Whether a process recorded in a file still runs. A pid names the same process only inside
 * one pid namespace of one boot, so records carry that namespace too: a pid written by another
 * host or container sharing the folder says nothing here.
 */

/** This process's pid namespace and the kernel's boot; undefined where /proc does not tell. */
export function currentPidNamespace(): string | undefined {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${bootId}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return undefined;
  }
}

/** Whether a process of this pid namespace runs (a zombie counts as ended). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
