import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../lib/errors.js';
import { type Project, projectSchema } from './project-schema.js';
import { knownKeys, unknownKeyMessage } from './unknown-keys.js';

export type { Audience, Domain, Project, ReportConfig, SourceConfig } from './project-schema.js';

/** What the loader needs of each connector to check the sources that use it at start-up. */
export interface ConnectorDeclaration {
  params: z.ZodType;
  periodicity: 'annual' | 'snapshot';
}
export type ConnectorDeclarations = ReadonlyMap<string, ConnectorDeclaration>;

export interface LoadedProject {
  file: string;
  directory: string;
  project: Project;
}

export interface LoadOptions {
  /**
   * `required` (the default): a variable missing from the environment is a problem wherever
   * the file uses it. `optional-in-sources`: one used in a source's params is left as written,
   * `${NAME}`, and that source's params go unchecked, for commands that read local files only
   * (the inventory editions) and never reach a provider.
   */
  sourceVariables?: 'required' | 'optional-in-sources';
}

const variablePattern = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g;

interface MissingVariable {
  name: string;
  path: (string | number)[];
}

/** The index of the source whose params hold `path`, if they do. */
function sourceParamsIndex(path: readonly (string | number)[]): number | undefined {
  return path[0] === 'sources' && typeof path[1] === 'number' && path[2] === 'params'
    ? path[1]
    : undefined;
}

/** What to do about a variable the file uses and the environment lacks. */
const variableHints: Record<string, string> = {
  TERREZE_SIMULATOR_URL: 'start `terreze simulator` and export the URL it prints',
};

/** Expands `${NAME}` and `${NAME:-default}` in every string value, as compose files do. */
function interpolate(
  value: unknown,
  environment: NodeJS.ProcessEnv,
  path: (string | number)[],
  problems: MissingVariable[],
  leaveMissing: (path: readonly (string | number)[]) => boolean = () => false,
): unknown {
  if (typeof value === 'string') {
    return value.replace(variablePattern, (match, name: string, fallback?: string) => {
      const found = environment[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push({ name, path });
      return leaveMissing(path) ? match : '';
    });
  }
  const inner = (item: unknown, key: string | number) =>
    interpolate(item, environment, [...path, key], problems, leaveMissing);
  if (Array.isArray(value)) return value.map((item, index) => inner(item, index));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inner(item, key)]));
  }
  return value;
}

function lineOf(document: Document, counter: LineCounter, path: PropertyKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/**
 * Reads, interpolates and validates a project file. Every problem names the file, the line,
 * the path inside the file and what was expected; all problems are reported at once.
 */
export function loadProject(
  file: string,
  connectors: ConnectorDeclarations,
  environment: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): LoadedProject {
  const absolute = resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(absolute, [{ path: '', expected: `a readable file (${String(error)})` }]);
  }

  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ConfigError(
      absolute,
      document.errors.map((error) => ({
        path: '',
        line: counter.linePos(error.pos[0]).line,
        expected: `valid YAML (${error.message.split('\n')[0]})`,
      })),
    );
  }

  const toProblem = (path: PropertyKey[], expected: string): ConfigProblem => ({
    path: formatPath(path),
    line: lineOf(document, counter, path),
    expected,
  });

  const found: MissingVariable[] = [];
  const leaveInSources = options.sourceVariables === 'optional-in-sources';
  const raw = interpolate(document.toJS(), environment, [], found, (path) =>
    leaveInSources ? sourceParamsIndex(path) !== undefined : false,
  );
  const uncheckedSources = new Set<number>();
  const missing = found.filter((problem) => {
    const index = sourceParamsIndex(problem.path);
    if (!leaveInSources || index === undefined) return true;
    uncheckedSources.add(index);
    return false;
  });
  if (missing.length > 0) {
    // One problem per variable, at its first use: the fix is the same for all of its uses.
    const names = [...new Set(missing.map((problem) => problem.name))];
    throw new ConfigError(
      absolute,
      names.map((name) => {
        const uses = missing.filter((problem) => problem.name === name);
        const count = uses.length > 1 ? ` (used ${uses.length} times, first here)` : '';
        const hint = variableHints[name] ?? 'export it, or set it in .env';
        return toProblem(uses[0]!.path, `environment variable ${name} to be set${count}: ${hint}`);
      }),
    );
  }

  const parsed = projectSchema.safeParse(raw);
  if (!parsed.success) {
    // A misspelt key is refused rather than dropped: `concurency: 8` would otherwise run at 4.
    throw new ConfigError(
      absolute,
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) =>
              toProblem(
                [...issue.path, key],
                unknownKeyMessage(key, knownKeys(projectSchema, issue.path, raw), 'this block'),
              ),
            )
          : [toProblem(issue.path, issue.message)],
      ),
    );
  }

  const project = parsed.data;
  const paramProblems: ConfigProblem[] = [];
  project.sources.forEach((source, index) => {
    const connector = connectors.get(source.connector);
    if (connector === undefined) {
      const known = [...connectors.keys()].sort().join(', ');
      paramProblems.push(
        toProblem(['sources', index, 'connector'], `one of the connectors ${known}`),
      );
      return;
    }
    if (connector.periodicity === 'annual' && source.vintages === undefined) {
      paramProblems.push(
        toProblem(
          ['sources', index],
          `vintages: the data years ${source.connector} publishes, e.g. vintages: [2023]`,
        ),
      );
    }
    // Params still holding `${NAME}` would fail their URL checks for want of the variable.
    if (uncheckedSources.has(index)) return;
    const result = connector.params.safeParse(source.params);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = ['sources', index, 'params', ...issue.path];
        if (issue.code !== 'unrecognized_keys') {
          paramProblems.push(toProblem(path, issue.message));
          continue;
        }
        // One problem per key, on the key's own line, with the keys that are known there.
        const known = knownKeys(connector.params, issue.path, source.params);
        for (const key of issue.keys) {
          const owner = `connector ${source.connector}`;
          paramProblems.push(toProblem([...path, key], unknownKeyMessage(key, known, owner)));
        }
      }
      return;
    }
    source.params = result.data as Record<string, unknown>;
  });
  if (paramProblems.length > 0) throw new ConfigError(absolute, paramProblems);

  return { file: absolute, directory: dirname(absolute), project };
}

/** The data year a source contributes to a reporting year: its latest vintage not after it. */
export function vintageFor(
  vintages: readonly number[] | undefined,
  reportingYear: number,
): number | undefined {
  const candidates = (vintages ?? []).filter((vintage) => vintage <= reportingYear);
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}
