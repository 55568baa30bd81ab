import { TemplateProblem, valueHelperName } from './helpers.js';

/**
 * Checks a parsed narrative template before it runs, so that a misspelt helper, partial or cell
 * is reported with its line even when the branch that holds it would not render. Also rewrites
 * each bare `{{path}}` into a call to the value helper, which renders nulls as notation keys.
 */

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Path = hbs.AST.PathExpression;

export interface TemplateRules {
  helpers: ReadonlySet<string>;
  partials: ReadonlySet<string>;
  /** Names valid at the template's root; null skips that check (partials run in any scope). */
  rootNames: ReadonlySet<string> | null;
  /** Describes the root names for the message that reports an unknown one. */
  describeRoot: () => string;
}

// Block helpers under which `this` is no longer the root, so root names cannot be checked.
const scopeChangingHelpers = new Set(['each', 'with']);

/** Checks `program` against `rules` and rewrites bare mustaches in place. */
export function checkTemplate(program: Program, rules: TemplateRules): void {
  visitProgram(program, rules, true);
}

function visitProgram(program: Program | undefined, rules: TemplateRules, atRoot: boolean): void {
  if (program === undefined || program === null) return;
  for (const statement of program.body) visitStatement(statement, rules, atRoot);
}

function visitStatement(node: Node, rules: TemplateRules, atRoot: boolean): void {
  switch (node.type) {
    case 'MustacheStatement': {
      const mustache = node as hbs.AST.MustacheStatement;
      const isCall = mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0;
      if (isCall) {
        checkHelper(mustache.path as Path, rules);
        visitExpressions(mustache, rules, atRoot);
        return;
      }
      if (
        mustache.path.type === 'PathExpression' &&
        rules.helpers.has((mustache.path as Path).original)
      ) {
        return;
      }
      visitExpression(mustache.path, rules, atRoot);
      rewriteAsValue(mustache);
      return;
    }
    case 'BlockStatement': {
      const block = node as hbs.AST.BlockStatement;
      checkHelper(block.path, rules);
      visitExpressions(block, rules, atRoot);
      const keepsScope = !scopeChangingHelpers.has(block.path.original);
      visitProgram(block.program, rules, atRoot && keepsScope);
      visitProgram(block.inverse, rules, atRoot);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement': {
      const partial = node as hbs.AST.PartialStatement;
      const name = partial.name.type === 'PathExpression' ? (partial.name as Path).original : null;
      if (name === null || !rules.partials.has(name)) {
        const known = [...rules.partials].join(', ') || 'none';
        throw new TemplateProblem(
          `unknown partial "${name ?? '(dynamic)'}" (partials: ${known})`,
          node.loc.start.line,
        );
      }
      visitExpressions(partial, rules, atRoot);
      return;
    }
    case 'DecoratorBlock':
    case 'Decorator':
      throw new TemplateProblem('decorators are not supported in reports', node.loc.start.line);
    default:
      return;
  }
}

function visitExpressions(
  node: { params: hbs.AST.Expression[]; hash: hbs.AST.Hash },
  rules: TemplateRules,
  atRoot: boolean,
): void {
  for (const parameter of node.params) visitExpression(parameter, rules, atRoot);
  for (const pair of node.hash?.pairs ?? []) visitExpression(pair.value, rules, atRoot);
}

function visitExpression(node: Node, rules: TemplateRules, atRoot: boolean): void {
  if (node.type === 'SubExpression') {
    const call = node as hbs.AST.SubExpression;
    checkHelper(call.path, rules);
    visitExpressions(call, rules, atRoot);
    return;
  }
  if (node.type !== 'PathExpression' || !atRoot || rules.rootNames === null) return;

  const path = node as Path;
  const head = path.parts[0];
  if (
    path.data ||
    path.depth > 0 ||
    head === undefined ||
    /^(this|\.)([./]|$)/.test(path.original)
  ) {
    return;
  }
  if (rules.rootNames.has(head)) return;
  throw new TemplateProblem(
    `unknown cell or value "${head}" in the narrative (${rules.describeRoot()})`,
    node.loc.start.line,
  );
}

function checkHelper(path: Path | hbs.AST.Literal, rules: TemplateRules): void {
  const name = path.type === 'PathExpression' ? (path as Path).original : String(path.type);
  if (rules.helpers.has(name)) return;
  throw new TemplateProblem(
    `unknown helper "${name}" (helpers: ${[...rules.helpers].sort().join(', ')})`,
    path.loc.start.line,
  );
}

function rewriteAsValue(mustache: hbs.AST.MustacheStatement): void {
  const original = mustache.path;
  mustache.params = [original];
  mustache.path = {
    type: 'PathExpression',
    data: false,
    depth: 0,
    parts: [valueHelperName],
    original: valueHelperName,
    loc: original.loc,
  } as Path;
}
