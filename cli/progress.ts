import type { WorkflowHandle } from '@temporalio/client';
import type { CollectionProgress } from '../workflows/operations-types.js';
import type { CycleProgress, SourceProgress } from '../workflows/types.js';

/**
 * Live progress of long work, read from the workflows' progress queries. On a terminal the
 * lines are redrawn in place, one per source, under a bar; without one (CI, a pipe) a plain line
 * is printed each time something changes.
 */

export interface ProgressOutput {
  write(text: string): void;
  isTTY: boolean;
}

const pollMs = 500;

function bar(done: number, total: number, width = 20): string {
  // Before the plan is known there is nothing done yet, not everything.
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`;
}

function sourceDetail(source: SourceProgress): string {
  const attempts = (source.attempts ?? 0) > 1 ? ` attempt ${source.attempts}` : '';
  const rows = source.state === 'done' ? ` ${source.rows} rows` : '';
  const message = source.message && source.state !== 'done' ? `  ${source.message}` : '';
  return `${source.state}${attempts}${rows}${message}`;
}

/** The lines that show a cycle's progress: a bar, then one line per source. */
export function cycleProgressLines(progress: CycleProgress): string[] {
  const finished = progress.sources.filter((source) =>
    ['done', 'failed', 'skipped'].includes(source.state),
  ).length;
  return [
    `cycle ${progress.reportingYear} ${progress.stage.padEnd(10)} ${bar(finished, progress.sources.length)} sources`,
    ...progress.sources.map((source) =>
      `  ${source.sourceId.padEnd(32)} ${sourceDetail(source)}`.slice(0, 160),
    ),
  ];
}

/** The line that shows one collection's progress. */
export function collectionProgressLine(progress: CollectionProgress): string {
  const attempt = progress.attempt > 1 ? ` attempt ${progress.attempt}` : '';
  const failure = progress.lastFailure ? `  last failure: ${progress.lastFailure}` : '';
  return `${progress.sourceId} ${progress.period} ${progress.step}${attempt}${failure}`.slice(
    0,
    160,
  );
}

/** Redraws lines in place on a terminal; prints only the changed lines otherwise. */
export function createProgressPrinter(output: ProgressOutput) {
  let previous: string[] = [];
  return (lines: string[]) => {
    if (output.isTTY) {
      const up = previous.length > 0 ? `\x1b[${previous.length}A` : '';
      output.write(`${up}${lines.map((line) => `\x1b[2K${line}\n`).join('')}`);
    } else {
      for (const [index, line] of lines.entries()) {
        if (previous[index] !== line) output.write(`${line.trim()}\n`);
      }
    }
    previous = lines;
  };
}

/**
 * Polls a workflow's progress query until its result arrives, printing what changes, and returns
 * the result (or throws its failure). A query that fails (no worker yet) is tried again.
 */
export async function watchProgress<Result, Progress>(
  handle: WorkflowHandle,
  queryName: string,
  render: (progress: Progress) => string[],
  output: ProgressOutput,
): Promise<Result> {
  const print = createProgressPrinter(output);
  const result = handle.result() as Promise<Result>;
  let finished = false;
  void result.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );

  while (!finished) {
    try {
      print(render(await handle.query<Progress>(queryName)));
    } catch {
      // Not started on a worker yet, or closed between two polls: the result decides.
    }
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, pollMs))]);
  }
  try {
    print(render(await handle.query<Progress>(queryName)));
  } catch {
    // A closed workflow whose worker is gone cannot answer queries; its result is enough.
  }
  return result;
}
