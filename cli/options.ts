import { InvalidArgumentError } from 'commander';

export function parseYear(value: string): number {
  const year = Number(value);
  if (!Number.isInteger(year) || year < 1990 || year > 2100) {
    throw new InvalidArgumentError(`expected a year such as 2023, got "${value}"`);
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

/** A TCP port from 1 to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidArgumentError(`expected a port from 1 to 65535, got "${value}"`);
  }
  return port;
}
