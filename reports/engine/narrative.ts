import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import Handlebars from 'handlebars';
import { errorMessage, ReportError } from '../../lib/errors.js';
import { registerHelpers, TemplateProblem } from './helpers.js';
import { checkTemplate } from './template-check.js';

/**
 * The narrative: Handlebars in strict mode over the report's data (parameters, context and the
 * rows of every SQL cell), compiled in an environment of its own so that reports rendered in
 * the same process never share helpers or partials.
 */

export interface PartialSource {
  name: string;
  file: string;
  source: string;
}

const partialExtensions = new Set(['.md', '.hbs', '.handlebars']);

/** Reads the partials of `directories`; the first directory that holds a name wins. */
export function loadPartials(directories: readonly string[]): Map<string, PartialSource> {
  const partials = new Map<string, PartialSource>();
  for (const directory of directories) {
    if (!existsSync(directory)) continue;
    for (const entry of readdirSync(directory).sort()) {
      const extension = extname(entry);
      if (!partialExtensions.has(extension)) continue;
      const name = entry.slice(0, -extension.length);
      if (partials.has(name)) continue;
      const file = join(directory, entry);
      partials.set(name, { name, file, source: readFileSync(file, 'utf8') });
    }
  }
  return partials;
}

export interface NarrativeOptions {
  file: string;
  template: string;
  /** Added to template line numbers to give file line numbers. */
  lineOffset?: number;
  partials: ReadonlyMap<string, PartialSource>;
  rootNames: ReadonlySet<string>;
  describeRoot: () => string;
}

export type NarrativeTemplate = (data: Record<string, unknown>) => string;

const compileOptions = { strict: true, trackIds: true, preventIndent: true } as const;

/** Compiles a narrative template; every problem becomes a `ReportError` with file and line. */
export function compileNarrative(options: NarrativeOptions): NarrativeTemplate {
  const environment = Handlebars.create();
  const helpers = new Set(registerHelpers(environment));
  const partialNames = new Set(options.partials.keys());

  for (const partial of options.partials.values()) {
    const template = compileChecked(environment, {
      file: partial.file,
      source: partial.source,
      lineOffset: 0,
      rules: {
        helpers,
        partials: partialNames,
        rootNames: null,
        describeRoot: options.describeRoot,
      },
    });
    environment.registerPartial(partial.name, template as Handlebars.TemplateDelegate);
  }

  return compileChecked(environment, {
    file: options.file,
    source: options.template,
    lineOffset: options.lineOffset ?? 0,
    rules: {
      helpers,
      partials: partialNames,
      rootNames: options.rootNames,
      describeRoot: options.describeRoot,
    },
  });
}

interface CompileRequest {
  file: string;
  source: string;
  lineOffset: number;
  rules: Parameters<typeof checkTemplate>[1];
}

function compileChecked(
  environment: typeof Handlebars,
  request: CompileRequest,
): NarrativeTemplate {
  const { file, lineOffset } = request;
  const place = (line: number | undefined) => (line === undefined ? undefined : line + lineOffset);

  let program: hbs.AST.Program;
  try {
    program = environment.parse(request.source);
  } catch (error) {
    const message = errorMessage(error);
    const line = /on line (\d+)/.exec(message)?.[1];
    const reason = message.split('\n').slice(-1)[0];
    throw new ReportError(
      file,
      `narrative does not parse: ${reason}`,
      place(line ? Number(line) : undefined),
    );
  }

  try {
    checkTemplate(program, request.rules);
  } catch (error) {
    if (error instanceof TemplateProblem)
      throw new ReportError(file, error.message, place(error.line));
    throw error;
  }
  const template = environment.compile(program, compileOptions);

  return (data, runtimeOptions?: Handlebars.RuntimeOptions) => {
    try {
      return template(data, runtimeOptions);
    } catch (error) {
      throw placeRuntimeError(file, error, place);
    }
  };
}

/** Gives a failure while rendering the file and line of the template that was running. */
function placeRuntimeError(
  file: string,
  error: unknown,
  place: (line: number | undefined) => number | undefined,
): ReportError {
  // Raised inside a partial: already placed in the partial's file.
  if (error instanceof ReportError) return error;
  if (error instanceof TemplateProblem)
    return new ReportError(file, error.message, place(error.line));

  // Handlebars' strict mode: `"name" not defined in [object Object] - 12:4`.
  const message = errorMessage(error);
  const strict = /^"(.+)" not defined in .* - (\d+):\d+$/.exec(message);
  if (strict !== null) {
    return new ReportError(
      file,
      `"${strict[1]}" is not defined here (misspelt column, cell or value?)`,
      place(Number(strict[2])),
      { cause: error },
    );
  }
  return new ReportError(file, `narrative failed: ${message}`, undefined, { cause: error });
}
