import { parseArgs } from 'node:util';
import { createLogger } from '../lib/logger.js';
import { backfillTables, runBackfillBench } from './backfill.js';
import { cycleTables, runCycleBench } from './cycle.js';
import { dltTables, runDltBench } from './dlt.js';
import { ensureData } from './generate.js';
import { ingestTables, runIngestBench } from './ingest.js';
import { pdfTables, runPdfBench } from './pdf.js';
import { benchmarksDoc, writeResultsSection } from './results-doc.js';

/**
 * `npm run bench`: generates the data when missing, runs every benchmark, prints its tables
 * and rewrites the results section of docs/BENCHMARKS.md. `--quick` is a smoke run on small
 * files (its figures go to the document, marked as such, only with `--write-doc`); `--only`
 * runs some of them (`--only ingest,pdf`); `--runs N` and `--large-runs N` (the largest
 * ingest size) change the 5 runs per figure, and the document says how many each had.
 */

interface RunOptions {
  quick: boolean;
  runs: number | undefined;
  largeRuns: number | undefined;
}

const benches = {
  ingest: async (options: RunOptions) => ingestTables(await runIngestBench(options)),
  pdf: async (options: RunOptions) => pdfTables(await runPdfBench(options)),
  dlt: async (options: RunOptions) => dltTables(await runDltBench(options)),
  cycle: async (options: RunOptions) => cycleTables(await runCycleBench(options)),
  backfill: async (options: RunOptions) => backfillTables(await runBackfillBench(options)),
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'write-doc': { type: 'boolean' },
    runs: { type: 'string' },
    'large-runs': { type: 'string' },
  },
});
const count = (text: string | undefined) => (text === undefined ? undefined : Number(text));
const logger = createLogger({ format: 'pretty', metadata: { bench: 'all' } });
const quick = values.quick;
const names = (values.only?.split(',') ?? Object.keys(benches)) as (keyof typeof benches)[];
for (const name of names) {
  if (!(name in benches)) {
    logger.error('unknown benchmark', { name, known: Object.keys(benches).join(', ') });
    process.exit(2);
  }
}

const writeDoc = values['write-doc'] ?? !quick;
await ensureData(quick ? 'quick' : 'full');
for (const name of names) {
  const started = Date.now();
  logger.info('benchmark started', { name, quick });
  try {
    const tables = await benches[name]({
      quick,
      runs: count(values.runs),
      largeRuns: count(values['large-runs']),
    });
    process.stdout.write(`\n## ${name}\n\n${tables}\n`);
    logger.info('benchmark done', { name, durationMs: Date.now() - started });
    if (writeDoc) await writeResultsSection({ quick });
  } catch (error) {
    // One failing benchmark should not cost the figures of the others; the exit code tells.
    logger.error('benchmark failed', { name, error });
    process.exitCode = 1;
  }
}
if (writeDoc) logger.info('results written', { file: benchmarksDoc });
