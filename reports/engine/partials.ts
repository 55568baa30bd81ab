import Handlebars from 'handlebars';
import type { PartialSource } from './narrative.js';
import { checkCellNames, parsePartial } from './parse.js';
import type { Cell, Notebook } from './types.js';

/**
 * Partials a report includes, with their own cells: a shared section (data quality,
 * provenance, a cover) is one file with its queries, tables and charts, included by name from
 * every report that needs it. Only the partials a report reaches are read for cells, so a
 * section that is not included never runs its queries.
 */

export interface IncludedPartials {
  /** The report's cells, then those of each included partial in the order first reached. */
  cells: Cell[];
  /** Every partial by name; those reached have their cells replaced by placeholders. */
  partials: Map<string, PartialSource>;
}

/** Reads the cells of the partials `notebook` reaches, directly or through other partials. */
export function includePartials(
  notebook: Notebook,
  available: ReadonlyMap<string, PartialSource>,
): IncludedPartials {
  const cells = [...notebook.cells];
  const partials = new Map(available);
  const reached = new Set<string>();
  const pending = partialNamesIn(notebook.template);

  while (pending.length > 0) {
    const name = pending.shift()!;
    const partial = available.get(name);
    if (reached.has(name) || partial === undefined) continue;
    reached.add(name);

    const parsed = parsePartial(partial.file, partial.source, cells.length);
    cells.push(...parsed.cells);
    partials.set(name, { ...partial, source: parsed.template });
    pending.push(...partialNamesIn(parsed.template));
  }

  checkCellNames(cells);
  return { cells, partials };
}

/** Names of the partials a template includes; none when it does not parse (reported later). */
function partialNamesIn(template: string): string[] {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(template);
  } catch {
    return [];
  }
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const statement = node as { type?: string; name?: { type?: string; original?: string } };
    const isPartial =
      statement.type === 'PartialStatement' || statement.type === 'PartialBlockStatement';
    if (isPartial && statement.name?.type === 'PathExpression' && statement.name.original) {
      names.push(statement.name.original);
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'loc') visit(value);
  };
  visit(program);
  return names;
}
