import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ReportError } from '../../lib/errors.js';

/**
 * YAML read from inside a report file (front matter, chart and table cells), with errors placed
 * on the line of the report file rather than the line of the block.
 */

export interface YamlBlock {
  value: unknown;
  /** File line of the node at `path`, or of the block's first line when it cannot be found. */
  lineOf(path: readonly PropertyKey[]): number;
}

/** Parses `text`, whose first line is line `firstLine` of `file`. */
export function parseYamlBlock(file: string, text: string, firstLine: number): YamlBlock {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });

  const [firstError] = document.errors;
  if (firstError !== undefined) {
    const blockLine = lineCounter.linePos(firstError.pos[0]).line;
    const reason = firstError.message.split('\n')[0];
    throw new ReportError(file, `invalid YAML: ${reason}`, firstLine + Math.max(blockLine, 1) - 1);
  }

  return {
    value: document.toJS(),
    lineOf(path) {
      for (let length = path.length; length >= 0; length -= 1) {
        const node = document.getIn(path.slice(0, length), true);
        if (isNode(node) && node.range) {
          return firstLine + Math.max(lineCounter.linePos(node.range[0]).line, 1) - 1;
        }
      }
      return firstLine;
    },
  };
}

/** Validates a parsed block against `schema`; the error names the first problem's line. */
export function validateYamlBlock<Output>(
  file: string,
  block: YamlBlock,
  schema: z.ZodType<Output>,
  what: string,
): Output {
  const result = schema.safeParse(block.value);
  if (result.success) return result.data;

  const issue = result.error.issues[0]!;
  const path = issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  throw new ReportError(file, `${what}${path}: ${issue.message}`, block.lineOf(issue.path));
}
