import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchVarDir } from './paths.js';

/** Each benchmark's figures, kept as JSON under `var/bench/results/` for the results table. */

export const resultsDir = join(benchVarDir, 'results');

export async function saveResult(name: string, result: unknown): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export async function readResult<Result>(name: string): Promise<Result | undefined> {
  try {
    return JSON.parse(await readFile(join(resultsDir, `${name}.json`), 'utf8')) as Result;
  } catch {
    return undefined;
  }
}

/** A Markdown table; what the scripts print and what docs/BENCHMARKS.md holds. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]) {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

const grouped = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export const format = {
  ms: (value: number) =>
    value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${grouped.format(value)} ms`,
  seconds: (valueMs: number) => `${(valueMs / 1000).toFixed(2)} s`,
  mb: (value: number) => `${grouped.format(value)} MB`,
  ratio: (value: number) => `${value.toFixed(2)}×`,
  count: (value: number) => grouped.format(value),
  percent: (value: number) => `${(value * 100).toFixed(1)} %`,
  rate: (perSecond: number) => `${grouped.format(perSecond)}/s`,
};

/** "met" or "not met" against a target, for the results table. */
export function verdict(met: boolean): string {
  return met ? 'met' : '**not met**';
}
