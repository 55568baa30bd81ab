/**
 * Error classes that carry the context of the operation that failed. Messages are built from
 * that context so that an operator reads what was attempted, on what, and what was expected.
 */

export class TerrezeError extends Error {
  readonly context: Record<string, unknown>;

  constructor(message: string, context: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

export interface ConfigProblem {
  path: string;
  line?: number;
  expected: string;
}

/** A project file or setting that does not say what terreze needs. Never worth a retry. */
export class ConfigError extends TerrezeError {
  readonly file: string;
  readonly problems: ConfigProblem[];

  constructor(file: string, problems: ConfigProblem[]) {
    const lines = problems.map((problem) => {
      const where = problem.line === undefined ? '' : `:${problem.line}`;
      return `  ${file}${where} ${problem.path || '(root)'}: ${problem.expected}`;
    });
    super(`invalid configuration in ${file}\n${lines.join('\n')}`, { file, problems });
    this.file = file;
    this.problems = problems;
  }
}

/** A provider answered badly or not at all. `retryable` is decided where it is raised. */
export class ConnectorError extends TerrezeError {
  readonly source: string;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(
    message: string,
    details: { source: string; url?: string; status?: number; retryable: boolean },
    options?: ErrorOptions,
  ) {
    super(message, details, options);
    this.source = details.source;
    this.url = details.url;
    this.status = details.status;
    this.retryable = details.retryable;
  }
}

/** Provider content that does not match what the connector declares: never retried. */
export class ParseError extends TerrezeError {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;

  constructor(file: string, problem: string, location: { line?: number; field?: string } = {}) {
    const at = location.line === undefined ? '' : `:${location.line}`;
    const field = location.field === undefined ? '' : ` field ${location.field}:`;
    super(`${file}${at}${field} ${problem}`, { file, ...location });
    this.file = file;
    this.line = location.line;
    this.field = location.field;
  }
}

/** A lake partition could not be written, read or verified. */
export class LakeError extends TerrezeError {}

/** A SQL model failed; the message names the model file. */
export class ModelError extends TerrezeError {
  readonly model: string;

  constructor(model: string, message: string, options?: ErrorOptions) {
    super(`model ${model} failed: ${message}`, { model }, options);
    this.model = model;
  }
}

/** A report could not be rendered; names the report file and, when known, the line. */
export class ReportError extends TerrezeError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, message: string, line?: number, options?: ErrorOptions) {
    super(`${file}${line === undefined ? '' : `:${line}`} ${message}`, { file, line }, options);
    this.file = file;
    this.line = line;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
