import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backfillTables } from './backfill.js';
import { cycleTables } from './cycle.js';
import { dltTables } from './dlt.js';
import { ingestTables } from './ingest.js';
import { pdfTables } from './pdf.js';
import { repositoryRoot } from './support/paths.js';
import { markdownTable, readResult } from './support/results.js';

/**
 * Writes the measured part of docs/BENCHMARKS.md, between its two markers, from the results
 * the scripts saved; the analysis around it is prose and stays as written.
 */

const begin = '<!-- results:begin (written by `npm run bench`; do not edit by hand) -->';
const end = '<!-- results:end -->';
export const benchmarksDoc = join(repositoryRoot, 'docs', 'BENCHMARKS.md');

const sections = [
  {
    name: 'ingest',
    title: 'Ingest + land + model against bare DuckDB',
    command: 'npx tsx bench/ingest.ts',
    tables: ingestTables,
  },
  { name: 'dlt', title: 'terreze against dlt', command: 'npx tsx bench/dlt.ts', tables: dltTables },
  { name: 'pdf', title: 'Committee PDF', command: 'npx tsx bench/pdf.ts', tables: pdfTables },
  {
    name: 'cycle',
    title: 'Cycle of 200 sources on the dev server',
    command: 'npx tsx bench/cycle.ts',
    tables: cycleTables,
  },
  {
    name: 'backfill',
    title: 'Backfill of 1,000 periods',
    command: 'npx tsx bench/backfill.ts',
    tables: backfillTables,
  },
] as const;

export async function writeResultsSection(options: { quick: boolean }): Promise<string> {
  const parts: string[] = [];
  let machineTable = '';
  for (const section of sections) {
    const name = options.quick ? `${section.name}-quick` : section.name;
    // biome-ignore lint/suspicious/noExplicitAny: each section reads its own result shape
    const result = await readResult<any>(name);
    if (result === undefined) {
      parts.push(`### ${section.title}\n\nNot measured yet: run \`${section.command}\`.`);
      continue;
    }
    const machine = result.machine;
    machineTable ||= markdownTable(
      [
        'CPU',
        'cores',
        'RAM',
        'Node',
        'DuckDB',
        'parquet-wasm',
        'Chromium',
        'Temporal CLI',
        'commit',
      ],
      [
        [
          machine.cpu,
          String(machine.cores),
          `${machine.memoryGb} GB`,
          machine.node,
          machine.duckdb,
          machine.parquetWasm,
          machine.chromium,
          machine.temporalCli,
          machine.commit,
        ],
      ],
    );
    parts.push(
      `### ${section.title}\n\n\`${section.command}${options.quick ? ' --quick' : ''}\` — ${result.runs} run(s), medians; measured ${machine.measuredAt.slice(0, 16).replace('T', ' ')} UTC${machine.loadAverage === undefined ? '' : `, load average ${machine.loadAverage} on ${machine.cores} cores at the end`}.\n\n${section.tables(result)}`,
    );
  }
  const generated = [
    begin,
    options.quick
      ? '\n_Quick smoke run: small files, one run each. Not the reference figures._\n'
      : '',
    machineTable,
    ...parts,
    end,
  ].join('\n\n');

  const current = await readFile(benchmarksDoc, 'utf8').catch(
    () => `# Benchmarks\n\n${begin}\n${end}\n`,
  );
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${generated}${current.slice(to + end.length)}`
      : `${current}\n\n${generated}\n`;
  await writeFile(benchmarksDoc, next);
  return generated;
}
