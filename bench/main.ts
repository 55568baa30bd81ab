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
 * files (its figures go to the document marked as such only with `--write-doc`); `--only`
 * runs some of them (`--only ingest,pdf`).
 */

const benches = {
  ingest: async (quick: boolean) => ingestTables(await runIngestBench({ quick })),
  dlt: async (quick: boolean) => dltTables(await runDltBench({ quick })),
  pdf: async (quick: boolean) => pdfTables(await runPdfBench({ quick })),
  cycle: async (quick: boolean) => cycleTables(await runCycleBench({ quick })),
  backfill: async (quick: boolean) => backfillTables(await runBackfillBench({ quick })),
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'write-doc': { type: 'boolean' },
  },
});
const logger = createLogger({ format: 'pretty', metadata: { bench: 'all' } });
const quick = values.quick;
const names = (values.only?.split(',') ?? Object.keys(benches)) as (keyof typeof benches)[];
for (const name of names) {
  if (!(name in benches)) {
    logger.error('unknown benchmark', { name, known: Object.keys(benches).join(', ') });
    process.exit(2);
  }
}

await ensureData(quick ? 'quick' : 'full');
for (const name of names) {
  const started = Date.now();
  logger.info('benchmark started', { name, quick });
  const tables = await benches[name](quick);
  process.stdout.write(`\n## ${name}\n\n${tables}\n`);
  logger.info('benchmark done', { name, durationMs: Date.now() - started });
}
if (values['write-doc'] ?? !quick) {
  await writeResultsSection({ quick });
  logger.info('results written', { file: benchmarksDoc });
}
