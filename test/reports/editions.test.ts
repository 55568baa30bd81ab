import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditionManifest } from '../../activities/editions.js';
import { recordIssuedEdition } from '../../activities/issued.js';
import type { ReportEditionManifest } from '../../reports/manifest.js';
import type { InventorySummary, RenderedReport } from '../../workflows/types.js';
import {
  createEditionHome,
  type EditionHome,
  editionOf,
  restatedElectricity,
} from './edition-fixture.js';
import { asPdfText, pagesText } from './poppler.js';

/*
 * Figures by hand from the rows of edition-fixture.ts: I.1.2 = 1,000 MWh × 0.052 + 100 MWh ×
 * 0.112 = 63.2 t; III.1.1 = 100 t × 0.25 × 87 kg/t = 2.175 t; total 65.375 t. The restatement
 * turns the 1,000 MWh into 1,200: I.1.2 becomes 62.4 + 11.2 = 73.6 t, +10.4 t, and
 * 10.4 / 63.2 = +16.46 %; the total 75.775 t.
 */

const committee = {
  id: 'committee',
  template: 'builtin:committee',
  title: 'Comité',
  audience: 'committee' as const,
  formats: ['html' as const, 'pdf' as const],
  retrievalMaxAgeDays: 90,
};

function text(report: RenderedReport): string {
  return asPdfText(pagesText(report.pdf!).join('\n'));
}

async function manifestOf(report: RenderedReport): Promise<ReportEditionManifest> {
  return JSON.parse(await readFile(report.manifestFile, 'utf8'));
}

describe('report editions rendered from inventory editions', () => {
  let home: EditionHome;
  let first: InventorySummary;
  let edition: EditionManifest;
  let rendered: RenderedReport;
  let firstPdf: Buffer;
  let firstHtml: string;

  const render = async (summary: InventorySummary) => {
    const [report] = await home.render(summary, ['committee']);
    return report!;
  };

  beforeAll(async () => {
    home = await createEditionHome([committee]);
    first = await home.compute();
    edition = await editionOf(first);
    rendered = await render(first);
    firstPdf = await readFile(rendered.pdf!);
    firstHtml = await readFile(rendered.html!, 'utf8');
  }, 120_000);

  afterAll(async () => {
    await home?.remove();
  });

  it('prints the hand-computed figures on the cover', () => {
    const cover = asPdfText(pagesText(rendered.pdf!)[0]!);
    expect(cover).toContain('Émissions estimées en 2023');
    expect(cover).toContain('65,4 tCO₂e');
    expect(cover).toContain('0,07 tCO₂e');
    expect(cover).toMatch(/Énergie stationnaire\s+I\s+63,2/);
    expect(cover).toMatch(/Déchets\s+III\s+2,2/);
    expect(cover).toContain('Diffusion : comité de pilotage');
    expect(cover).toContain(`Édition ${first.editionId}`);
  });

  it('says under each figure which partitions and runs feed it', () => {
    const electricity = edition.inputs.find((input) => input.sourceId === 'electricity')!;
    const all = text(rendered);
    expect(all).toContain(
      'Données : electricity 2023 (collecte run-electricity-1) ; factors current',
    );
    // The query annex adds the partition's checksum.
    expect(all).toContain(
      `electricity 2023 (sha256 ${electricity.sha256.slice(0, 16)}, collecte run-electricity-1)`,
    );
  });

  it('records the inventory inputs with their checksums and the factor versions', async () => {
    const manifest = await manifestOf(rendered);
    expect(manifest.inventoryEditionId).toBe(first.editionId);
    expect(manifest.inputs).toEqual(edition.inputs);
    expect(manifest.inputs.map((input) => [input.sourceId, input.period, input.runId])).toEqual([
      ['electricity', '2023', 'run-electricity-1'],
      ['factors', 'current', 'run-factors-1'],
      ['heat', '2023', 'run-heat-1'],
      ['waste', '2017', 'run-waste-1'],
    ]);
    expect(manifest.factors).toEqual(edition.factors);
    expect(manifest.factors.map((factor) => factor.factorRef)).toEqual(
      expect.arrayContaining(['base-carbone:34682', 'base-carbone:42513', 'local:heat']),
    );
    expect(manifest.comparedWith).toBeNull();
    expect(manifest.files.map((file) => file.format)).toEqual(['html', 'pdf']);
  });

  it('gives the same text and the same PDF bytes when rendered again', async () => {
    const again = await render(first);
    expect(again.reportEditionId).toBe(rendered.reportEditionId);
    expect(await readFile(again.html!, 'utf8')).toBe(firstHtml);
    expect((await readFile(again.pdf!)).equals(firstPdf)).toBe(true);
  });

  it('lists in the annex the factor and its version that each dataset used', () => {
    // The factors the test project selects for these activities, and their validity years.
    const all = text(rendered);
    expect(all).toMatch(/electricity\s+base-carbone:42513\s+0,05200\s+kgCO2e\/kWh\s+2022\s+1\n/);
    expect(all).toMatch(/heat\s+local:heat\s+0,11200\s+kgCO2e\/kWh\s+2023\s+1\n/);
    expect(all).toMatch(
      /waste\s+base-carbone:34682\s+87,00000\s+kgCO2e\/tonne de déchets\s+2022\s+1\n/,
    );
  });

  it('reports the masked cell and the sources older than the reporting year', () => {
    const all = text(rendered);
    expect(all).toContain('heat title (heat), sous-secteur I.2.2 : 1 cellule masquée.');
    expect(all).toContain('waste title (waste) : données de 2017, 6 ans avant l');
    expect(all).not.toContain('heat title (heat) : données de');
  });

  it('says how long before the edition each source was retrieved', () => {
    // Every fixture partition was retrieved on 2024-01-01 (UTC); days to the edition's date.
    const days = Math.round(
      (Date.parse(edition.createdAt.slice(0, 10)) - Date.parse('2024-01-01')) / 86_400_000,
    );
    const written = asPdfText(new Intl.NumberFormat('fr-FR').format(days));
    expect(text(rendered)).toContain(
      `electricity title (electricity) : collectée il y a ${written} jours (au-delà de 90).`,
    );
  });

  describe('after the edition is issued and a provider restates its data', () => {
    let restated: InventorySummary;
    let second: RenderedReport;

    beforeAll(async () => {
      await recordIssuedEdition(home.editionsDir, {
        reportEditionId: rendered.reportEditionId,
        inventoryEditionId: first.editionId,
        reportId: 'committee',
        audience: 'committee',
        reportingYear: 2023,
        issuedAt: '2024-03-20T10:00:00.000Z',
        approvedBy: 'Présidence du comité',
        comment: 'Édition de mars',
        files: [{ path: rendered.pdf!, sha256: rendered.pdfSha256! }],
      });
      await home.land('electricity', restatedElectricity, 'run-electricity-2');
      restated = await home.compute();
      second = await render(restated);
    }, 120_000);

    it('builds a new inventory edition from the restated partition', () => {
      expect(restated.editionId).not.toBe(first.editionId);
      expect(restated.totalTco2e).toBeCloseTo(75.775, 9);
    });

    it('opens a section on the changes since the issued edition', () => {
      const all = text(second);
      expect(all).toContain('Changements depuis la dernière édition diffusée');
      expect(all).toContain(
        `L'édition ${rendered.reportEditionId} (inventaire ${first.editionId}) a été diffusée le 20 mars 2024`,
      );
      expect(all).toContain('approuvée par Présidence du comité');
      expect(all).toContain(
        'Énergie stationnaire (GPC I) : 63,2 tCO₂e → 73,6 tCO₂e, soit +10,4 tCO₂e (+16,5 %)',
      );
      expect(all).toMatch(
        /I\.1\.2\s+Bâtiments résidentiels — énergie de réseau\s+63,2\s+73,6\s+10,4\s+16,5 %/,
      );
    });

    it('names the restated partition with its checksums before and after', async () => {
      const before = edition.inputs.find((input) => input.sourceId === 'electricity')!;
      const after = (await editionOf(restated)).inputs.find(
        (input) => input.sourceId === 'electricity',
      )!;
      expect(after.sha256).not.toBe(before.sha256);
      expect(text(second)).toMatch(
        new RegExp(
          `electricity\\s+2023\\s+republiée\\s+${before.sha256.slice(0, 16)}\\s+${after.sha256.slice(0, 16)}\\s+1\\s+1`,
        ),
      );
    });

    it('records which issued edition it was compared with', async () => {
      const manifest = await manifestOf(second);
      expect(manifest.comparedWith).toEqual({
        reportEditionId: rendered.reportEditionId,
        inventoryEditionId: first.editionId,
        issuedAt: '2024-03-20T10:00:00.000Z',
      });
      expect(second.reportEditionId).not.toBe(rendered.reportEditionId);
    });
  });
});
