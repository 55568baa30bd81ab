/**
 * One structured logger for the worker, the CLI and the activities: a fixed message plus a
 * metadata object. JSON lines when the output is not a terminal (or TERREZE_LOG_FORMAT=json),
 * a short human line on a terminal. Metadata bound with `withLogContext` (the workflow and run
 * ids of the running activity) joins every record written inside it.
 */

import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogMetadata = Record<string, unknown>;

export interface Logger {
  debug(message: string, metadata?: LogMetadata): void;
  info(message: string, metadata?: LogMetadata): void;
  warn(message: string, metadata?: LogMetadata): void;
  error(message: string, metadata?: LogMetadata): void;
  child(metadata: LogMetadata): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'pretty';
  write?: (line: string) => void;
  metadata?: LogMetadata;
}

const logContext = new AsyncLocalStorage<LogMetadata>();

/** Runs `work` with metadata that every log record written inside it carries. */
export function withLogContext<Result>(metadata: LogMetadata, work: () => Result): Result {
  return logContext.run({ ...logContext.getStore(), ...metadata }, work);
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serializable(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...(value as object) };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function prettyValue(value: unknown): string {
  const plain = serializable(value);
  if (typeof plain === 'string') return /\s/.test(plain) ? JSON.stringify(plain) : plain;
  return JSON.stringify(plain);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = levelRank[options.level ?? 'info'];
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = options.metadata ?? {};

  function log(level: LogLevel, message: string, metadata: LogMetadata = {}): void {
    if (levelRank[level] < threshold) return;
    const merged = { ...logContext.getStore(), ...base, ...metadata };
    if (format === 'json') {
      const record = { time: new Date().toISOString(), level, message, ...merged };
      write(JSON.stringify(record, (_key, value) => serializable(value)));
      return;
    }
    const details = Object.entries(merged)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${prettyValue(value)}`)
      .join(' ');
    const label = level === 'info' ? '' : `${level.toUpperCase()} `;
    write(`${label}${message}${details ? `  ${details}` : ''}`);
  }

  return {
    debug: (message, metadata) => log('debug', message, metadata),
    info: (message, metadata) => log('info', message, metadata),
    warn: (message, metadata) => log('warn', message, metadata),
    error: (message, metadata) => log('error', message, metadata),
    child: (metadata) => createLogger({ ...options, metadata: { ...base, ...metadata } }),
  };
}

/** The logger the entry points use, configured from the environment once. */
export function loggerFromEnvironment(environment = process.env): Logger {
  const requested = environment.TERREZE_LOG_FORMAT;
  const format =
    requested === 'json' || requested === 'pretty'
      ? requested
      : process.stderr.isTTY
        ? 'pretty'
        : 'json';
  const level = (environment.TERREZE_LOG_LEVEL ?? 'info') as LogLevel;
  return createLogger({ format, level: level in levelRank ? level : 'info' });
}
