import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EditionManifest } from '../activities/editions.js';
import type { LoadedProject } from '../config/project.js';
import type { Logger } from '../lib/logger.js';
import { codeVersion } from '../lib/version.js';
import type { RenderedReport } from '../workflows/types.js';
import { launchBrowser, renderPdf } from './engine/index.js';
import { type ReportEditionManifest, sha256, writeReportManifest } from './manifest.js';
import { dataCutoff } from './report-database.js';
import {
  audiencesOf,
  pdfOptionsFor,
  type ReportEditionRequest,
  renderReportNotebook,
} from './report-notebook.js';

export {
  audiencesOf,
  type ReportEditionRequest,
  reportTemplatePath,
} from './report-notebook.js';

/** Renders a project's reports from one inventory edition: HTML, then PDF through Chromium. */

/** Renders one report for one audience from one inventory edition, and writes its manifest. */
export async function renderReportEdition(request: ReportEditionRequest): Promise<RenderedReport> {
  const { report, audience, edition, logger } = request;
  const rendered = await renderReportNotebook(request);
  const { notebook, file, templateSha256, partials, parameters, previous, reportEditionId } =
    rendered;
  request.heartbeat?.({ report: report.id, audience, stage: 'html' });

  const directory =
    request.outputDir ?? join(dirname(request.databaseFile), 'reports', reportEditionId);
  await mkdir(directory, { recursive: true });
  const files: ReportEditionManifest['files'] = [];
  const html = report.formats.includes('html') ? join(directory, `${report.id}.html`) : undefined;
  if (html) {
    await writeFile(html, notebook.html);
    files.push({ format: 'html', path: html, sha256: sha256(notebook.html) });
  }

  let pdf: string | undefined;
  let pdfPages: number | null = null;
  if (request.browser && report.formats.includes('pdf')) {
    pdf = join(directory, `${report.id}.pdf`);
    const printed = await renderPdf(
      request.browser,
      notebook.html,
      pdf,
      pdfOptionsFor(request, notebook),
    );
    pdfPages = printed.pageCount;
    files.push({ format: 'pdf', path: pdf, sha256: sha256(await readFile(pdf)) });
    request.heartbeat?.({ report: report.id, audience, stage: 'pdf' });
  }

  const manifestFile = await writeReportManifest(directory, {
    reportEditionId,
    inventoryEditionId: edition.editionId,
    reportId: report.id,
    audience,
    reportingYear: edition.reportingYear,
    parameters,
    templateFile: file,
    templateSha256,
    partials,
    codeVersion,
    dataCutoff: dataCutoff(edition),
    inputs: edition.inputs,
    factors: edition.factors,
    comparedWith: previous
      ? {
          reportEditionId: previous.issued.reportEditionId,
          inventoryEditionId: previous.issued.inventoryEditionId,
          issuedAt: previous.issued.issuedAt,
        }
      : null,
    renderedAt: new Date().toISOString(),
    pdfPages,
    files,
  });
  logger.info('report written', {
    report: report.id,
    audience,
    reportEditionId,
    editionId: edition.editionId,
    html,
    pdf,
  });
  return {
    reportId: report.id,
    audience,
    reportEditionId,
    manifestFile,
    html,
    pdf,
    htmlSha256: files.find((entry) => entry.format === 'html')?.sha256,
    pdfSha256: files.find((entry) => entry.format === 'pdf')?.sha256,
  };
}

export interface RenderEditionReportsOptions {
  loaded: LoadedProject;
  edition: EditionManifest;
  databaseFile: string;
  editionsDir: string;
  reportIds: readonly string[];
  chromiumPath: string | undefined;
  logger: Logger;
  heartbeat?(details: unknown): void;
}

/** Renders the reports `reportIds`, each for each of its audiences, through one browser. */
export async function renderEditionReports(
  options: RenderEditionReportsOptions,
): Promise<RenderedReport[]> {
  const { loaded, logger } = options;
  const reports = loaded.project.reports.filter((report) => options.reportIds.includes(report.id));
  const needsPdf = reports.some((report) => report.formats.includes('pdf'));
  const browser = needsPdf
    ? await launchBrowser({ executablePath: options.chromiumPath, logger })
    : undefined;

  const rendered: RenderedReport[] = [];
  try {
    for (const report of reports) {
      for (const audience of await audiencesOf(report, loaded.directory)) {
        rendered.push(
          await renderReportEdition({
            loaded,
            report,
            audience,
            edition: options.edition,
            databaseFile: options.databaseFile,
            editionsDir: options.editionsDir,
            browser,
            logger,
            heartbeat: options.heartbeat,
          }),
        );
      }
    }
  } finally {
    await browser?.close();
  }
  return rendered;
}
