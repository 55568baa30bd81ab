import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { ReportConfig } from '../../config/project.js';
import { TerrezeError } from '../../lib/errors.js';
import type { Audience } from '../../reports/engine/index.js';
import { launchBrowser } from '../../reports/engine/index.js';
import { TableAccessError } from '../../reports/engine/sql.js';
import { type FoundEdition, latestEdition } from '../../reports/latest-edition.js';
import { startReportPreview } from '../../reports/preview.js';
import {
  audiencesOf,
  type ReportEditionRequest,
  renderReportEdition,
} from '../../reports/render.js';
import { NotFoundError } from '../../temporal/errors.js';
import { type CommandContext, loadCommandContext } from '../context.js';
import { parseListenPort, parseYear, requireFreePort } from '../options.js';

const audiences = ['public', 'committee', 'restricted'] as const;

function parseAudience(value: string): Audience {
  if (!(audiences as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${audiences.join(', ')}, got "${value}"`);
  }
  return value as Audience;
}

/** A report asked for an audience whose tables its template reads beyond: the ways out. */
export class AudienceNotServedError extends TerrezeError {}

/** What to run instead: the report for the audiences it serves, or a report for this one. */
async function audienceAdvice(
  context: CommandContext,
  report: ReportConfig,
  audience: Audience,
  command: string,
): Promise<string> {
  const directory = context.loaded.directory;
  const served = await audiencesOf(report, directory);
  const others: string[] = [];
  for (const candidate of context.loaded.project.reports) {
    if (candidate.id === report.id) continue;
    if ((await audiencesOf(candidate, directory)).includes(audience)) others.push(candidate.id);
  }
  const alternatives =
    others.length === 0
      ? `no report of ${context.loaded.file} is declared for ${audience}`
      : `for ${audience}, run ${others.map((id) => `\`terreze report ${command.replace('<report>', id)}\``).join(' or ')}`;
  return (
    `report ${report.id} serves ${served.join(', ')}: leave out --audience, or give ` +
    `--audience ${served[0]}; ${alternatives}`
  );
}

/** Runs a render, turning a table refusal for the audience into what to do about it. */
async function forAudience<T>(
  context: CommandContext,
  report: ReportConfig,
  audience: Audience,
  command: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof TableAccessError)) throw error;
    const advice = await audienceAdvice(context, report, audience, command);
    throw new AudienceNotServedError(
      `${error.message}. ${advice}`,
      { report: report.id, audience },
      { cause: error },
    );
  }
}

function reportOf(context: CommandContext, reportId: string): ReportConfig {
  const { reports } = context.loaded.project;
  const report = reports.find((candidate) => candidate.id === reportId);
  if (report === undefined) {
    const known = reports.map((candidate) => candidate.id).join(', ');
    throw new NotFoundError(
      `no report "${reportId}" in ${context.loaded.file}; reports: ${known}`,
      { reportId },
    );
  }
  return report;
}

function editionsDirOf(context: CommandContext): string {
  return join(context.settings.homeDir, context.loaded.project.project, 'editions');
}

/** What a report of `found` for `audience` is rendered from. */
function requestOf(
  context: CommandContext,
  report: ReportConfig,
  found: FoundEdition,
  audience: Audience,
): Omit<ReportEditionRequest, 'browser'> {
  return {
    loaded: context.loaded,
    report,
    audience,
    edition: found.edition,
    databaseFile: found.databaseFile,
    editionsDir: editionsDirOf(context),
    logger: context.logger,
  };
}

/** `terreze report render` and `terreze report preview`: report editions from an edition. */
export function registerReport(program: Command): void {
  const report = program.command('report').description('render or preview a report');

  report
    .command('render <report>')
    .description('write the HTML and PDF of a report from the latest inventory edition of a year')
    .requiredOption('--year <year>', 'reporting year', parseYear)
    .option('--audience <audience>', 'one audience (default: each of the report)', parseAudience)
    .option('--out <dir>', 'folder for the files (default: the edition folder)')
    .action(
      async (
        reportId: string,
        options: { year: number; audience?: Audience; out?: string },
        command: Command,
      ) => {
        const context = loadCommandContext(command.optsWithGlobals().project);
        const config = reportOf(context, reportId);
        const found = await latestEdition(editionsDirOf(context), options.year);
        const chosen = options.audience
          ? [options.audience]
          : await audiencesOf(config, context.loaded.directory);
        const browser = config.formats.includes('pdf')
          ? await launchBrowser({
              executablePath: context.settings.chromiumPath,
              logger: context.logger,
            })
          : undefined;
        try {
          for (const audience of chosen) {
            const rendered = await forAudience(
              context,
              config,
              audience,
              `render <report> --year ${options.year}`,
              () =>
                renderReportEdition({
                  ...requestOf(context, config, found, audience),
                  outputDir:
                    options.out && chosen.length > 1 ? join(options.out, audience) : options.out,
                  browser,
                }),
            );
            const lines = [
              `report ${rendered.reportId} (${audience}), edition ${rendered.reportEditionId}`,
            ];
            if (rendered.html) lines.push(`  HTML: ${rendered.html}`);
            if (rendered.pdf) lines.push(`  PDF:  ${rendered.pdf}`);
            process.stdout.write(`${lines.join('\n')}\n`);
          }
        } finally {
          await browser?.close();
        }
      },
    );

  report
    .command('preview <report>')
    .description('serve a report on 127.0.0.1 and reload it when its Markdown or partials change')
    .option('--year <year>', 'reporting year (default: the latest with an edition)', parseYear)
    .option('--audience <audience>', 'audience (default: the first of the report)', parseAudience)
    .option('--port <port>', 'port (default: a free one)', parseListenPort)
    .action(
      async (
        reportId: string,
        options: { year?: number; audience?: Audience; port?: number },
        command: Command,
      ) => {
        await requireFreePort(options.port);
        const context = loadCommandContext(command.optsWithGlobals().project);
        const config = reportOf(context, reportId);
        const found = await latestEdition(editionsDirOf(context), options.year);
        const audience =
          options.audience ?? (await audiencesOf(config, context.loaded.directory))[0]!;
        const year = options.year === undefined ? '' : ` --year ${options.year}`;
        const preview = await forAudience(
          context,
          config,
          audience,
          `preview <report>${year}`,
          () =>
            startReportPreview({
              port: options.port,
              request: requestOf(context, config, found, audience),
            }),
        );
        // Listening for the stop before announcing the URL, so that no stop is missed.
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        process.stdout.write(
          `previewing ${reportId} (${audience}) from edition ${found.edition.editionId}\n` +
            `  ${preview.url}   (PDF: ${preview.url}report.pdf) — Ctrl-C to stop\n`,
        );
        await stopped;
        await preview.close();
      },
    );
}
