import { constants } from 'node:os';
import { TerrezeError } from '../lib/errors.js';

/**
 * SIGINT and SIGTERM for a command that stops what it started in its own order. The first
 * signal settles `interrupted`, and the command winds down; a second one gives up on order and
 * exits at once (the dev server's process group is killed on exit).
 */

/** The command stopped on a signal; it exits 128 + the signal's number (130, 143). */
export class InterruptedError extends TerrezeError {
  readonly signal: NodeJS.Signals;
  readonly exitCode: number;

  constructor(signal: NodeJS.Signals, message: string) {
    super(message, { signal });
    this.signal = signal;
    this.exitCode = exitCodeOfSignal(signal);
  }
}

/** The shell's exit code of a process ended by a signal: 130 for SIGINT, 143 for SIGTERM. */
export function exitCodeOfSignal(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

export interface Interruption {
  /** Settles with the first signal received. */
  interrupted: Promise<NodeJS.Signals>;
  /** The first signal received, if any yet. */
  signal(): NodeJS.Signals | undefined;
  /** Stops listening (the command finished). */
  dispose(): void;
}

const watched: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Starts listening for SIGINT and SIGTERM; `onFirst` hears of the first signal at once. */
export function watchInterruption(onFirst: (signal: NodeJS.Signals) => void): Interruption {
  let received: NodeJS.Signals | undefined;
  let settle: (signal: NodeJS.Signals) => void = () => undefined;
  const interrupted = new Promise<NodeJS.Signals>((resolve) => {
    settle = resolve;
  });

  const listener = (signal: NodeJS.Signals) => {
    if (received !== undefined) {
      process.stderr.write(`terreze: ${signal} again: exiting without waiting\n`);
      process.exit(exitCodeOfSignal(signal));
    }
    received = signal;
    onFirst(signal);
    settle(signal);
  };
  for (const signal of watched) process.on(signal, listener);

  return {
    interrupted,
    signal: () => received,
    dispose: () => {
      for (const signal of watched) process.off(signal, listener);
    },
  };
}
