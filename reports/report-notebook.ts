import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EditionManifest } from '../activities/editions.js';
import type { LoadedProject, ReportConfig } from '../config/project.js';
import type { Logger } from '../lib/logger.js';
import { codeVersion } from '../lib/version.js';
import { seesMaskedFigures } from './audiences.js';
import { findPreviousEdition, type PreviousEdition } from './changes.js';
import { formatDate } from './engine/format.js';
import {
  type Audience,
  audienceLabel,
  type PdfOptions,
  parseNotebook,
  type RenderedNotebook,
  type ReportBrowser,
  renderNotebook,
} from './engine/index.js';
import { reportEditionIdFor, sha256 } from './manifest.js';
import { dataCutoff, openReportDatabase } from './report-database.js';

/**
 * One report for one audience, rendered from one inventory edition to its HTML document: the
 * template and partials it reads, the issued edition it is compared with, and its id.
 */

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

/** A report rendered to HTML, with what its edition id and manifest are made of. */
export interface ReportNotebook {
  notebook: RenderedNotebook;
  file: string;
  templateSha256: string;
  partials: { file: string; sha256: string }[];
  parameters: Record<string, unknown>;
  previous: PreviousEdition | undefined;
  reportEditionId: string;
}

/** Renders the report of `request` to HTML; nothing is written. */
export async function renderReportNotebook(request: ReportEditionRequest): Promise<ReportNotebook> {
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
    masked: seesMaskedFigures(request.loaded.project, audience),
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
      tableAccess: database.tableAccess,
      logger,
    });
  } finally {
    database.close();
  }
  return { notebook, file, templateSha256, partials, parameters, previous, reportEditionId };
}

/** The running header and footer of the report's PDF, and its fixed document date. */
export function pdfOptionsFor(
  request: ReportEditionRequest,
  notebook: RenderedNotebook,
): PdfOptions {
  const { edition, audience } = request;
  const cutoff = dataCutoff(edition);
  return {
    headerLeft: request.loaded.project.territory.name,
    headerRight: `Édition ${edition.editionId} · ${audienceLabel(audience)}`,
    footerLeft: `${notebook.title} ${edition.reportingYear}${cutoff ? ` · données au ${formatDate(cutoff)}` : ''}`,
    documentDate: new Date(edition.createdAt),
  };
}
