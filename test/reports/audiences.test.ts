import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditionManifest } from '../../activities/editions.js';
import { openDatabase } from '../../lib/duckdb.js';
import { ReportError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { launchBrowser, type ReportBrowser } from '../../reports/engine/index.js';
import { renderReportEdition } from '../../reports/render.js';
import type { InventorySummary, RenderedReport } from '../../workflows/types.js';
import { createEditionHome, type EditionHome, editionOf, heat } from './edition-fixture.js';
import { asPdfText, pageCount, pagesText } from './poppler.js';

/*
 * The heat of La Rochelle's residences comes from 2 delivery points, fewer than the 3 the
 * secrecy rule asks for: its cell (100 MWh × 0.112 = 11.2 t) is masked, and with it La
 * Rochelle's total, which is that cell alone. Which other figures the rule masks so that 11.2
 * cannot be recovered by subtraction is read from the rule's own output (`secrecy_mask`); the
 * total, 52 + 11.2 + 2.175 = 65.375 t by hand, stays published.
 */
async function maskedFigures(databaseFile: string): Promise<string[]> {
  const database = await openDatabase(databaseFile, { access_mode: 'READ_ONLY' });
  try {
    const rows = (
      await database.connection.runAndReadAll(
        `select distinct round(tco2e, 1) as tco2e from secrecy_mask
         where masked and tco2e is not null
           and round(tco2e, 1) not in (
             select round(tco2e, 1) from secrecy_mask where not masked and tco2e is not null)
         order by 1`,
      )
    ).getRowObjectsJS();
    return rows.map((row) => Number(row.tco2e).toFixed(1).replace('.', ','));
  } finally {
    database.close();
  }
}

const communesReport = `---
title: Émissions par commune
audience: committee
parameters:
  year: { type: integer, required: true }
---
# Communes

\`\`\`sql communes
select coalesce(commune_code, 'EPCI') as code, tco2e
from inventory_commune where tco2e is not null or commune_code in ('17300') or commune_code is null
order by code
\`\`\`

\`\`\`table communes
columns:
  - { field: code, title: Code }
  - { field: tco2e, title: tCO₂e, format: "number:1" }
\`\`\`
`;

describe('audiences and statistical secrecy', () => {
  let home: EditionHome;
  let summary: InventorySummary;
  let edition: EditionManifest;
  let rendered: RenderedReport[];
  const logLines: { message: string; pid?: number; outputPath?: string }[] = [];

  const byAudience = (reportId: string, audience: string) =>
    rendered.find((report) => report.reportId === reportId && report.audience === audience)!;
  const pdfText = (report: RenderedReport) => asPdfText(pagesText(report.pdf!).join('\n'));

  beforeAll(async () => {
    home = await createEditionHome(
      [
        {
          id: 'public-summary',
          template: 'builtin:public-summary',
          title: 'Synthèse',
          audiences: ['public'],
          formats: ['html', 'pdf'],
          retrievalMaxAgeDays: 90,
        },
        {
          id: 'communes',
          template: 'communes.md',
          title: 'Communes',
          audiences: ['public', 'committee'],
          formats: ['html', 'pdf'],
          retrievalMaxAgeDays: 90,
        },
      ],
      { heat: [heat('R', 100, 2), heat('T', null)] },
    );
    await writeFile(join(home.homeDir, 'communes.md'), communesReport);
    summary = await home.compute();
    edition = await editionOf(summary);
    rendered = await home.render(
      summary,
      ['public-summary', 'communes'],
      createLogger({
        level: 'debug',
        format: 'json',
        write: (line) => logLines.push(JSON.parse(line)),
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await home?.remove();
  });

  it('renders each report once per audience its entry lists', () => {
    expect(rendered.map((report) => [report.reportId, report.audience])).toEqual([
      ['public-summary', 'public'],
      ['communes', 'public'],
      ['communes', 'committee'],
    ]);
    expect(byAudience('communes', 'public').reportEditionId).not.toBe(
      byAudience('communes', 'committee').reportEditionId,
    );
  });

  it('prints the PDFs of all reports and audiences through one browser launch', () => {
    const launches = logLines.filter((line) => line.message === 'chromium started');
    const printed = logLines.filter((line) => line.message === 'pdf printed');
    expect(launches).toHaveLength(1);
    expect(launches[0]!.pid).toEqual(expect.any(Number));
    expect(printed.map((line) => line.outputPath)).toEqual(rendered.map((report) => report.pdf));
    expect(new Set(printed.map((line) => line.pid))).toEqual(new Set([launches[0]!.pid]));
  });

  it('prints the public summary on exactly one A4 page, with the published total', async () => {
    const report = byAudience('public-summary', 'public');
    expect(pageCount(report.pdf!)).toBe(1);
    const text = pdfText(report);
    expect(text).toContain('Diffusion publique');
    expect(text).toContain('65,4 tCO₂e');
    // Sector I is 52 + 11.2 = 63.2 t by hand; the rule decides whether it may be published.
    const sectorMasked = (await maskedFigures(summary.databaseFile)).includes('63,2');
    expect(text).toMatch(new RegExp(`Énergie stationnaire\\s+${sectorMasked ? 'C' : '63,2'}\\n`));
  });

  it('never shows in a public edition a figure the secrecy rule masks', async () => {
    const masked = await maskedFigures(summary.databaseFile);
    expect(masked).toContain('11,2');
    for (const reportId of ['public-summary', 'communes']) {
      const report = byAudience(reportId, 'public');
      const html = await readFile(report.html!, 'utf8');
      const text = pdfText(report);
      for (const figure of masked) {
        expect(html).not.toContain(`>${figure}<`);
        expect(text).not.toMatch(new RegExp(`(^|\\s)${figure}(\\s|$)`, 'm'));
      }
    }
    // A masked value is null in the secrecy-applied table: the row shows a dash, never zero.
    expect(pdfText(byAudience('communes', 'public'))).toMatch(/17300\s+—\n/);
    expect(pdfText(byAudience('communes', 'public'))).toMatch(/EPCI\s+—\n/);
  });

  it('shows the committee the figures the public does not see', () => {
    const communes = pdfText(byAudience('communes', 'committee'));
    expect(communes).toMatch(/17300\s+11,2\n/);
    expect(communes).toMatch(/EPCI\s+54,2\n/);
  });

  it('stops a public edition of a template that reads unmasked tables, naming the cell', async () => {
    let browser: ReportBrowser | undefined;
    try {
      browser = await launchBrowser();
      const run = renderReportEdition({
        loaded: home.dependencies.loaded,
        report: {
          id: 'committee',
          template: 'builtin:committee',
          title: 'Comité',
          formats: ['html'],
          retrievalMaxAgeDays: 90,
        },
        audience: 'public',
        edition,
        databaseFile: summary.databaseFile,
        editionsDir: home.editionsDir,
        browser,
        logger: home.dependencies.logger,
      });
      await expect(run).rejects.toBeInstanceOf(ReportError);
      await expect(run).rejects.toThrow(
        /committee\.md:\d+ sql cell "cautions" reads emissions, which an audience that sees masked figures may not show/,
      );
    } finally {
      await browser?.close();
    }
  });
});
