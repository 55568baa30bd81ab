import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EditionManifest } from '../activities/editions.js';
import type { LoadedProject, ReportConfig } from '../config/project.js';
import type { Logger } from '../lib/logger.js';
import { codeVersion } from '../lib/version.js';
import type { RenderedReport } from '../workflows/types.js';
import { tableAccessFor } from './audiences.js';
import { findPreviousEdition } from './changes.js';
import { formatDate } from './engine/format.js';
import {
  type Audience,
  audienceLabel,
  launchBrowser,
  parseNotebook,
  type ReportBrowser,
  renderNotebook,
  renderPdf,
} from './engine/index.js';
import {
  type ReportEditionManifest,
  reportEditionIdFor,
  sha256,
  writeReportManifest,
} from './manifest.js';
import { dataCutoff, openReportDatabase } from './report-database.js';

/** Renders a project's reports from one inventory edition: HTML, then PDF through Chromium. */

const builtinDir = fileURLToPath(new URL('.', import.meta.url));

/** `builtin:<name>` is a report shipped with terreze; other paths are relative to the project. */
export function reportTemplatePath(template: string, projectDir: string): string {
  if (template.startsWith('builtin:'))
    return join(builtinDir, `${template.slice('builtin:'.length)}.md`);
  return isAbsolute(template) ? template : resolve(projectDir, template);
}

/** The audiences a report entry is rendered for: its list, its one, or the template's own. */
export async function audiencesOf(report: ReportConfig, projectDir: string): Promise<Audience[]> {
  if (report.audiences !== undefined) return report.audiences;
  if (report.audience !== undefined) return [report.audience];
  const file = reportTemplatePath(report.template, projectDir);
  return [parseNotebook(file, await readFile(file, 'utf8')).audience];
}

/** What one report edition is rendered from, and where it goes. */
export interface ReportEditionRequest {
  loaded: LoadedProject;
  report: ReportConfig;
  audience: Audience;
  edition: EditionManifest;
  databaseFile: string;
  /** The folder of all editions, where the register of issued editions lives. */
  editionsDir: string;
  /** Where the files go; by default `<edition>/reports/<report edition id>/`. */
  outputDir?: string;
  /** Shared by the PDFs of a run; no PDF is written without one. */
  browser: ReportBrowser | undefined;
  logger: Logger;
  heartbeat?(details: unknown): void;
}

function narrativeContext(request: ReportEditionRequest) {
  const { territory, inventory } = request.loaded.project;
  return {
    territory: {
      name: territory.name,
      epci: territory.epci,
      communeCount: territory.communes.length,
      population: territory.population.inhabitants,
      populationYear: territory.population.year,
      departmentCode: territory.department.code,
      departmentName: territory.department.name,
      populationShare:
        territory.population.inhabitants / territory.department.population.inhabitants,
      referenceYear: inventory.referenceYear,
    },
    edition: { ...request.edition, codeVersion, cutoffAt: dataCutoff(request.edition) },
    report: { id: request.report.id, title: request.report.title },
  };
}

/** The partial files beside a template: shared sections change what the report shows. */
function partialFiles(file: string): string[] {
  const directory = join(dirname(file), 'partials');
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((entry) => /\.(md|hbs|handlebars)$/.test(entry))
    .sort()
    .map((entry) => join(directory, entry));
}

/** Renders one report for one audience from one inventory edition, and writes its manifest. */
export async function renderReportEdition(request: ReportEditionRequest): Promise<RenderedReport> {
  const { report, audience, edition, logger } = request;
  const file = reportTemplatePath(report.template, request.loaded.directory);
  const templateSha256 = sha256(await readFile(file));
  const partials = await Promise.all(
    partialFiles(file).map(async (partial) => ({
      file: partial,
      sha256: sha256(await readFile(partial)),
    })),
  );
  const parameters = { year: edition.reportingYear };
  const previous = await findPreviousEdition(request.editionsDir, report.id, audience);
  const reportEditionId = reportEditionIdFor({
    reportId: report.id,
    audience,
    inventoryEditionId: edition.editionId,
    templateSha256,
    partials,
    parameters,
    codeVersion,
    retrievalMaxAgeDays: report.retrievalMaxAgeDays,
    comparedWith: previous?.issued.reportEditionId ?? null,
  });

  const database = await openReportDatabase({
    databaseFile: request.databaseFile,
    edition,
    retrievalMaxAgeDays: report.retrievalMaxAgeDays,
    previous,
  });
  let notebook: Awaited<ReturnType<typeof renderNotebook>>;
  try {
    notebook = await renderNotebook({
      file,
      connection: database.connection,
      parameters,
      audience,
      context: narrativeContext(request),
      sourcesOf: database.lineage.sourcesOf,
      tableAccess: await tableAccessFor(audience, database),
      logger,
    });
  } finally {
    database.close();
  }
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
    const cutoff = dataCutoff(edition);
    const printed = await renderPdf(request.browser, notebook.html, pdf, {
      headerLeft: request.loaded.project.territory.name,
      headerRight: `Édition ${edition.editionId} · ${audienceLabel(audience)}`,
      footerLeft: `${notebook.title} ${edition.reportingYear}${cutoff ? ` · données au ${formatDate(cutoff)}` : ''}`,
      documentDate: new Date(edition.createdAt),
    });
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
