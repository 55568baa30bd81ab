import { mkdir, writeFile } from 'node:fs/promises';
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
      const notebook = await renderNotebook({
        file,
        connection: database.connection,
        parameters: { year: input.reportingYear },
        context: narrativeContext(dependencies, edition, report),
        logger,
      });
      heartbeat({ report: report.id, stage: 'html' });

      await mkdir(input.editionDir, { recursive: true });
      const html = report.formats.includes('html')
        ? join(input.editionDir, `${report.id}.html`)
        : undefined;
      if (html) await writeFile(html, notebook.html);

      let pdf: string | undefined;
      if (browser && report.formats.includes('pdf')) {
        pdf = join(input.editionDir, `${report.id}.pdf`);
        await renderPdf(browser, notebook.html, pdf, {
          headerLeft: loaded.project.territory.name,
          headerRight: `Édition ${edition.editionId} · ${audienceLabel(notebook.audience)}`,
          footerLeft: `${report.title} — inventaire ${input.reportingYear}`,
          documentDate: new Date(edition.createdAt),
        });
        heartbeat({ report: report.id, stage: 'pdf' });
      }
      rendered.push({ reportId: report.id, audience: notebook.audience, html, pdf });
      logger.info('report written', { report: report.id, editionId: edition.editionId, html, pdf });
    }
  } finally {
    await browser?.close();
    database.close();
  }
  return rendered;
}
