import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { openDatabase } from '../lib/duckdb.js';
import { createLogger } from '../lib/logger.js';
import {
  chromiumFlags,
  launchBrowser,
  renderNotebook,
  renderPdf,
  resolveChromium,
} from '../reports/engine/index.js';
import { ensureData } from './generate.js';
import { buildReportDatabase } from './reports/database.js';
import { barePrint, pageCount, printExtras, singleCandidates } from './reports/print.js';
import { describeMachine } from './support/machine.js';
import { interleaved, median } from './support/measure.js';
import { benchVarDir } from './support/paths.js';
import { format, markdownTable, saveResult, verdict } from './support/results.js';

/**
 * The committee PDF: a bench report of twenty pages and more with a dozen charts, rendered
 * by terreze (notebook → HTML → `renderPdf`) against a bare Puppeteer print of the same HTML;
 * then ten reports through one browser against ten cold launches.
 *
 *   npx tsx bench/pdf.ts [--quick]
 */

export const pdfTargets = { ratioToBare: 1.3, sharedBrowserSpeedup: 5, pages: 20, charts: 10 };

const reportsDir = fileURLToPath(new URL('./reports/', import.meta.url));
const pdfOptions = {
  headerLeft: 'Banc d’essai national',
  headerRight: 'Édition de banc d’essai · Diffusion : comité',
  footerLeft: 'Consommations d’énergie',
  documentDate: new Date('2024-04-02T00:00:00Z'),
};
const logger = createLogger({ format: 'pretty', level: 'warn', metadata: { bench: 'pdf' } });

export async function runPdfBench(options: { quick: boolean; runs?: number }) {
  const runs = options.runs ?? (options.quick ? 1 : 5);
  const reportCount = options.quick ? 3 : 10;
  const data = await ensureData(options.quick ? 'quick' : 'full');
  const outDir = join(benchVarDir, 'work', 'pdf', data.profile);
  await mkdir(outDir, { recursive: true });
  const databaseFile = join(
    benchVarDir,
    'work',
    'pdf',
    `report-${data.profile}-${data.seed}.duckdb`,
  );
  await buildReportDatabase(databaseFile, {
    oreFile: data.ore.file,
    loadCurveFile: data.loadCurves[0]!.file,
  });
  const database = await openDatabase(databaseFile, { access_mode: 'READ_ONLY' });
  const render = (name: string) =>
    renderNotebook({
      file: join(reportsDir, name),
      connection: database.connection,
      parameters: { year: 2023 },
      logger,
    });

  const terrezeBrowser = await launchBrowser({ logger });
  const bareBrowser = await puppeteer.launch({
    executablePath: resolveChromium(),
    headless: true,
    args: chromiumFlags,
  });
  try {
    const report = await render('national-committee.md');
    const charts = report.cells.filter((cell) => cell.kind === 'chart').length;
    const html = report.html;
    let printPasses = 1;

    const samples = await interleaved(singleCandidates, runs, async (name, run) => {
      const started = performance.now();
      const path = join(outDir, `${name}-${run}.pdf`);
      if (name === 'terreze') {
        const fresh = await render('national-committee.md');
        await renderPdf(terrezeBrowser, fresh.html, path, pdfOptions);
      } else if (name === 'terrezePdfOnly') {
        const rendered = await renderPdf(terrezeBrowser, html, path, pdfOptions);
        // Chromium prints the document again to write the contents' page numbers in.
        printPasses = (rendered as { passes?: number }).passes ?? 1;
      } else {
        await barePrint(bareBrowser, html, path, printExtras[name]);
      }
      return {
        durationMs: performance.now() - started,
        pages: pageCount(path),
        bytes: (await readFile(path)).byteLength,
      };
    });

    const short = await render('short-summary.md');
    const batches = { long: html, short: short.html };
    const batchSamples: Record<
      string,
      { shared: number[]; sharedTwoPages: number[]; cold: number[]; pages: number }
    > = {};
    for (const [label, document] of Object.entries(batches)) {
      const times = await interleaved(
        ['shared', 'sharedTwoPages', 'cold'] as const,
        runs,
        async (mode, run) => {
          const started = performance.now();
          if (mode === 'sharedTwoPages') {
            // The proposal: one browser printing two reports at a time, one per core.
            const browser = await launchBrowser({ logger });
            try {
              const queue = Array.from({ length: reportCount }, (_, index) => index);
              const lane = async () => {
                for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
                  await renderPdf(
                    browser,
                    document,
                    join(outDir, `${label}-pair-${run}-${index}.pdf`),
                    pdfOptions,
                  );
                }
              };
              await Promise.all([lane(), lane()]);
            } finally {
              await browser.close();
            }
          } else if (mode === 'shared') {
            const browser = await launchBrowser({ logger });
            try {
              for (let index = 0; index < reportCount; index += 1) {
                await renderPdf(
                  browser,
                  document,
                  join(outDir, `${label}-shared-${run}-${index}.pdf`),
                  pdfOptions,
                );
              }
            } finally {
              await browser.close();
            }
          } else {
            for (let index = 0; index < reportCount; index += 1) {
              const browser = await launchBrowser({ logger });
              try {
                await renderPdf(
                  browser,
                  document,
                  join(outDir, `${label}-cold-${run}-${index}.pdf`),
                  pdfOptions,
                );
              } finally {
                await browser.close();
              }
            }
          }
          return performance.now() - started;
        },
      );
      batchSamples[label] = { ...times, pages: pageCount(join(outDir, `${label}-shared-0-0.pdf`)) };
    }

    const medians = Object.fromEntries(
      Object.entries(samples).map(([name, list]) => [
        name,
        median(list.map((sample) => sample.durationMs)),
      ]),
    ) as Record<(typeof singleCandidates)[number], number>;
    const result = {
      machine: await describeMachine(),
      quick: options.quick,
      runs,
      targets: pdfTargets,
      pages: samples.terreze[0]!.pages,
      charts,
      printPasses,
      pdfBytes: samples.terreze[0]!.bytes,
      medians,
      runsMs: Object.fromEntries(
        Object.entries(samples).map(([name, list]) => [
          name,
          list.map((sample) => Math.round(sample.durationMs)),
        ]),
      ),
      ratioToBare: medians.terreze / medians.bare,
      pdfOnlyRatioToBare: medians.terrezePdfOnly / medians.bare,
      reportCount,
      batches: Object.fromEntries(
        Object.entries(batchSamples).map(([label, times]) => [
          label,
          {
            pages: times.pages,
            sharedMs: median(times.shared),
            sharedTwoPagesMs: median(times.sharedTwoPages),
            coldMs: median(times.cold),
            speedup: median(times.cold) / median(times.shared),
            twoPagesSpeedup: median(times.cold) / median(times.sharedTwoPages),
          },
        ]),
      ),
    };
    await saveResult(options.quick ? 'pdf-quick' : 'pdf', result);
    return result;
  } finally {
    await terrezeBrowser.close();
    await bareBrowser.close();
    database.close();
  }
}

export function pdfTables(result: Awaited<ReturnType<typeof runPdfBench>>): string {
  const single = markdownTable(
    ['candidate', 'median', 'ratio to bare print', 'target ≤ 1.3×'],
    [
      [
        'terreze: notebook (SQL, charts) + renderPdf',
        format.seconds(result.medians.terreze),
        format.ratio(result.ratioToBare),
        verdict(result.ratioToBare <= pdfTargets.ratioToBare),
      ],
      [
        'terreze: renderPdf of the same HTML',
        format.seconds(result.medians.terrezePdfOnly),
        format.ratio(result.pdfOnlyRatioToBare),
        verdict(result.pdfOnlyRatioToBare <= pdfTargets.ratioToBare),
      ],
      [
        'bare Puppeteer: setContent + page.pdf (same paper and margins)',
        format.seconds(result.medians.bare),
        '1.00×',
        '',
      ],
      [
        'bare + header and footer templates',
        format.seconds(result.medians.bareHeaderFooter),
        format.ratio(result.medians.bareHeaderFooter / result.medians.bare),
        '',
      ],
      [
        'bare + outline and tagged PDF',
        format.seconds(result.medians.bareOutlineTagged),
        format.ratio(result.medians.bareOutlineTagged / result.medians.bare),
        '',
      ],
      [
        'bare + JS off and request interception',
        format.seconds(result.medians.bareInterception),
        format.ratio(result.medians.bareInterception / result.medians.bare),
        '',
      ],
      [
        'bare + all three',
        format.seconds(result.medians.bareAllOptions),
        format.ratio(result.medians.bareAllOptions / result.medians.bare),
        '',
      ],
    ],
  );
  const batches = markdownTable(
    [
      'report',
      'pages',
      `${result.reportCount} through one browser`,
      `${result.reportCount} cold launches`,
      'speed-up',
      'target ≥ 5×',
      'one browser, two at a time',
      'its speed-up',
    ],
    Object.entries(result.batches).map(([label, batch]) => [
      label === 'long' ? 'bench committee report' : 'one-page summary',
      String(batch.pages),
      format.seconds(batch.sharedMs),
      format.seconds(batch.coldMs),
      format.ratio(batch.speedup),
      verdict(batch.speedup >= pdfTargets.sharedBrowserSpeedup),
      format.seconds(batch.sharedTwoPagesMs),
      format.ratio(batch.twoPagesSpeedup),
    ]),
  );
  const summary = `Bench committee report: ${result.pages} pages (target ≥ 20), ${result.charts} charts (target ≥ 10), ${format.mb(result.pdfBytes / 2 ** 20)}; renderPdf printed it ${result.printPasses} times.`;
  return `${summary}\n\n${single}\n\n${batches}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' } },
  });
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  process.stdout.write(`${pdfTables(await runPdfBench({ quick: values.quick, runs }))}\n`);
}
