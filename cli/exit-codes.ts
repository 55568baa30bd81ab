import { CommanderError } from 'commander';
import { ConfigError } from '../lib/errors.js';
import { NotFoundError, UnavailableError, UsageError } from '../temporal/errors.js';
import { InterruptedError } from './interruption.js';

/**
 * The exit codes of `terreze`, documented in the README:
 * 0 done; 1 the work failed (a workflow, a backfill that created nothing, a refused approval);
 * 2 bad usage or configuration; 3 something named does not exist; 4 Temporal or a worker is
 * missing; 130 and 143 stopped by SIGINT and SIGTERM (128 + the signal's number).
 */
export const exitCodes = { ok: 0, failure: 1, usage: 2, notFound: 3, unavailable: 4 } as const;

export function exitCodeOf(error: unknown): number {
  if (error instanceof InterruptedError) return error.exitCode;
  if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  if (error instanceof ConfigError || error instanceof UsageError) return exitCodes.usage;
  if (error instanceof NotFoundError) return exitCodes.notFound;
  if (error instanceof UnavailableError) return exitCodes.unavailable;
  return exitCodes.failure;
}
