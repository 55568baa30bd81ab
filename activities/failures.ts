import { ApplicationFailure } from '@temporalio/common';
import {
  ConfigError,
  ConnectorError,
  ModelError,
  ParseError,
  ReportError,
  TerrezeError,
} from '../lib/errors.js';

/** Content that parsed but does not match the connector's declared schema. */
export class SchemaError extends TerrezeError {}

/** A collection that produced no row at all for its period. */
export class EmptyCollectionError extends TerrezeError {}

/**
 * Decides at the activity boundary whether a failure deserves a retry. Bad configuration,
 * broken provider content, failing models and reports do not; network trouble does.
 */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof ConnectorError) {
    if (error.retryable) return error;
    return ApplicationFailure.create({
      message: error.message,
      type: 'NonRetryableConnectorError',
      nonRetryable: true,
      details: [error.context],
      cause: error,
    });
  }
  const nonRetryable = [
    ConfigError,
    ParseError,
    SchemaError,
    EmptyCollectionError,
    ModelError,
    ReportError,
  ];
  for (const kind of nonRetryable) {
    if (error instanceof kind) {
      return ApplicationFailure.create({
        message: error.message,
        type: kind.name,
        nonRetryable: true,
        details: [(error as TerrezeError).context],
        cause: error,
      });
    }
  }
  return error;
}

/** Wraps an activity so that its failures carry the retry decision above. */
export function withFailureDecision<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    try {
      return await activity(...args);
    } catch (error) {
      throw toActivityFailure(error);
    }
  };
}
