import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActivityDependencies } from '../activities/dependencies.js';
import type { EditionManifest } from '../activities/editions.js';
import type { ReportConfig } from '../config/project.js';
import { openDatabase } from '../lib/duckdb.js';
import { codeVersion } from '../lib/version.js';
import type { RenderedReport, RenderReportsInput } from '../workflows/types.js';
import { audienceLabel, launchBrowser, renderNotebook, renderPdf } from './engine/index.js';

/** Renders a project's reports from one inventory edition: HTML, then PDF through Chromium. */

const builtinDir = fileURLToPath(new URL('.', import.meta.url));

/** `builtin:<name>` is a report shipped with terreze; other paths are relative to the project. */
export function reportTemplatePath(template: string, projectDir: string): string {
  if (template.startsWith('builtin:'))
    return join(builtinDir, `${template.slice('builtin:'.length)}.md`);
  return isAbsolute(template) ? template : resolve(projectDir, template);
}

export interface RenderEditionReportsOptions {
  dependencies: ActivityDependencies;
  edition: EditionManifest;
  input: RenderReportsInput;
  heartbeat(details: unknown): void;
}

function narrativeContext(
  dependencies: ActivityDependencies,
  edition: EditionManifest,
  report: ReportConfig,
) {
  const { territory } = dependencies.loaded.project;
  return {
    territory: {
      name: territory.name,
      epci: territory.epci,
      communeCount: territory.communes.length,
      departmentCode: territory.department.code,
      departmentName: territory.department.name,
      populationShare:
        territory.population.inhabitants / territory.department.population.inhabitants,
    },
    edition: { ...edition, codeVersion },
    report: { id: report.id, title: report.title, audience: report.audience },
  };
}

/** What a rendered report edition was made from, written beside its files. */
export interface ReportEditionManifest {
  reportEditionId: string;
  inventoryEditionId: string;
  reportId: string;
  audience: string;
  reportingYear: number;
  parameters: Record<string, unknown>;
  templateFile: string;
  templateSha256: string;
  codeVersion: string;
  renderedAt: string;
  files: { format: 'html' | 'pdf'; path: string; sha256: string }[];
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export async function renderEditionReports(
  options: RenderEditionReportsOptions,
): Promise<RenderedReport[]> {
  const { dependencies, edition, input, heartbeat } = options;
  const { loaded, logger, settings } = dependencies;
  const reports = loaded.project.reports.filter((report) => input.reportIds.includes(report.id));

  const database = await openDatabase(input.databaseFile, { access_mode: 'READ_ONLY' });
  const needsPdf = reports.some((report) => report.formats.includes('pdf'));
  const browser = needsPdf
    ? await launchBrowser({ executablePath: settings.chromiumPath, logger })
    : undefined;
  const rendered: RenderedReport[] = [];
  try {
    for (const report of reports) {
      const file = reportTemplatePath(report.template, loaded.directory);
      const templateSha256 = sha256(await readFile(file));
      const parameters = { year: input.reportingYear };
      const reportEditionId = `${report.id}-${report.audience}-${sha256(
        JSON.stringify([edition.editionId, templateSha256, parameters, codeVersion]),
      ).slice(0, 12)}`;
      const directory = join(input.editionDir, 'reports', reportEditionId);
      const notebook = await renderNotebook({
        file,
        connection: database.connection,
        parameters,
        context: narrativeContext(dependencies, edition, report),
        logger,
      });
      heartbeat({ report: report.id, stage: 'html' });

      await mkdir(directory, { recursive: true });
      const files: ReportEditionManifest['files'] = [];
      const html = report.formats.includes('html')
        ? join(directory, `${report.id}.html`)
        : undefined;
      if (html) {
        await writeFile(html, notebook.html);
        files.push({ format: 'html', path: html, sha256: sha256(notebook.html) });
      }

      let pdf: string | undefined;
      if (browser && report.formats.includes('pdf')) {
        pdf = join(directory, `${report.id}.pdf`);
        await renderPdf(browser, notebook.html, pdf, {
          headerLeft: loaded.project.territory.name,
          headerRight: `Édition ${edition.editionId} · ${audienceLabel(notebook.audience)}`,
          footerLeft: `${report.title} — inventaire ${input.reportingYear}`,
          documentDate: new Date(edition.createdAt),
        });
        files.push({ format: 'pdf', path: pdf, sha256: sha256(await readFile(pdf)) });
        heartbeat({ report: report.id, stage: 'pdf' });
      }

      const manifest: ReportEditionManifest = {
        reportEditionId,
        inventoryEditionId: edition.editionId,
        reportId: report.id,
        audience: notebook.audience,
        reportingYear: input.reportingYear,
        parameters,
        templateFile: file,
        templateSha256,
        codeVersion,
        renderedAt: new Date().toISOString(),
        files,
      };
      const manifestFile = join(directory, 'report-edition.json');
      await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
      rendered.push({
        reportId: report.id,
        audience: notebook.audience,
        reportEditionId,
        manifestFile,
        html,
        pdf,
        htmlSha256: files.find((entry) => entry.format === 'html')?.sha256,
        pdfSha256: files.find((entry) => entry.format === 'pdf')?.sha256,
      });
      logger.info('report written', { report: report.id, editionId: edition.editionId, html, pdf });
    }
  } finally {
    await browser?.close();
    database.close();
  }
  return rendered;
}
