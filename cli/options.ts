import { InvalidArgumentError } from 'commander';
import { isPortInUse } from '../lib/ports.js';
import { UsageError } from '../temporal/errors.js';

/**
 * A reporting year: from 1990 (the reference year of the climate conventions) to the current
 * year. A later year has no data yet, and would only pass off earlier vintages as its own.
 */
export function parseYear(value: string): number {
  const year = Number(value);
  // Commander passes the previous value as a second argument: the clock is read here instead.
  const currentYear = new Date().getFullYear();
  if (!Number.isInteger(year) || year < 1990) {
    throw new InvalidArgumentError(`expected a year such as 2023, got "${value}"`);
  }
  if (year > currentYear) {
    throw new InvalidArgumentError(
      `expected a reporting year no later than the current year, ${currentYear}: ${year} has no data yet`,
    );
  }
  return year;
}

export function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  }
  return count;
}

/** A port to listen on, from 0 (a free one, picked by the system) to 65535. */
export function parseListenPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`expected a port number from 0 to 65535, got "${value}"`);
  }
  return port;
}

/** Refuses a `--port` another process listens on, before the command's slow start-up. */
export async function requireFreePort(port: number | undefined): Promise<void> {
  if (!port || !(await isPortInUse(port))) return;
  throw new UsageError(`port ${port} is in use; choose another with --port`, { port });
}

/** A TCP port from 1 to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidArgumentError(`expected a port from 1 to 65535, got "${value}"`);
  }
  return port;
}

/**
 * One name of a repeatable `--task-queue`, added to those given before it. An empty name is
 * refused here: the SDK would refuse it only once connected, with a worker half started.
 */
export function collectTaskQueue(value: string, previous: string[] | undefined): string[] {
  if (value.trim() === '') {
    throw new InvalidArgumentError('expected a task queue name such as terreze, got an empty text');
  }
  if (value.startsWith('__temporal_')) {
    throw new InvalidArgumentError(`Temporal reserves names starting with __temporal_: "${value}"`);
  }
  return [...(previous ?? []), value];
}
