import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStack } from '../../cli/embedded-stack.js';
import { listCurrentManifests } from '../../lake/store.js';
import { openDatabase } from '../../lib/duckdb.js';
import { territorialCycleWorkflow } from '../../workflows/index.js';
import type { CycleResult } from '../../workflows/types.js';
import { startTestStack } from '../support/stack.js';

/*
 * Expected figures, computed by hand from the provider files (python3, csv module):
 * - residential electricity, CA de La Rochelle 2023: 441,735.519 MWh × 0.052 kgCO2e/kWh
 *   (Base Carbone 42513) = 22,970.246988 t;
 * - heat networks 2023, IRIS 17300xxxx: residential 38,414.40724929806 MWh, tertiary
 *   16,403.919647598243 MWh, × 0.112 kgCO2e/kWh = 4,302.4136 t and 1,837.2390005 t;
 * - SINOE département 17 in 2017, × 175,608 / 655,709 = 0.2678139235545036, wet as collected:
 *   landfilled bulky waste 25,696.66696 t × 87 kg/t = 598.7274925 t, incinerated bulky and
 *   other waste 494.31561 t × 87 kg/t = 11.5174605 t, composted green waste 52,797.92687 t
 *   → 14,140.0199506 t × the IPCC wet-weight defaults (4 × 28 + 0.3 × 265) = 191.5 kg/t
 *   = 2,707.8138205 t;
 * - the Frioul feed stands in for La Rochelle's buses: its 12,543.950145368308 vehicle-km ×
 *   1.47405 kgCO2e/vkm = 18.4904097 t are illustrative, in no total; transportation is NE.
 * Total 29,109.8996005 + 3,318.0587735 = 32,427.9583739 t, 0.184661054 t per inhabitant.
 */
const expected = {
  stationaryEnergy: 29109.899600452387,
  transportation: null,
  waste: 3318.0587734718847,
  total: 32427.958373924273,
};

function pdfText(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  const text = execFileSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8' });
  // fr-FR thousands separators are narrow no-break spaces: compare with plain spaces.
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

function pageCount(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

describe('territorial cycle through a real Temporal dev server and worker', () => {
  let stack: EmbeddedStack;
  let taskQueue: string;
  let homeDir: string;
  let first: CycleResult;

  const runCycle = (suffix: string) =>
    stack.client.workflow.execute(territorialCycleWorkflow, {
      workflowId: `test-cycle-2023-${suffix}-${Date.now()}`,
      taskQueue,
      args: [{ reportingYear: 2023 }],
    });

  beforeAll(async () => {
    const started = await startTestStack();
    stack = started.stack;
    taskQueue = started.settings.taskQueue;
    homeDir = started.homeDir;
    first = await runCycle('first');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('collects every source of the year from the simulator', () => {
    expect(
      first.sources.map((source) => [source.sourceId, source.state, source.period, source.rows]),
    ).toEqual([
      ['enedis-residential-electricity', 'done', '2023', 1],
      ['sdes-heat-networks', 'done', '2023', 3646],
      ['transit-gtfs', 'done', '2017', 92],
      ['sinoe-recycling-centres', 'done', '2017', 23],
      ['base-carbone', 'done', 'current', 117],
    ]);
  });

  it('computes each GPC sector as the hand computation does', () => {
    const sectors = Object.fromEntries(
      first.inventory.sectors.map((sector) => [sector.sector, sector.tco2e]),
    );
    expect(sectors.I).toBeCloseTo(expected.stationaryEnergy, 6);
    expect(sectors.II).toBe(expected.transportation);
    expect(sectors.III).toBeCloseTo(expected.waste, 6);
    expect(first.inventory.totalTco2e).toBeCloseTo(expected.total, 6);
    expect(first.inventory.tco2ePerInhabitant).toBeCloseTo(expected.total / 175608, 9);
  });

  it('sums up each sector with its notation keys, completeness and stand-in figure', () => {
    const transport = first.inventory.sectors.find((sector) => sector.sector === 'II');
    expect(transport?.notationKeys).toBe(
      'NE: II.1.1, II.1.2, II.2.1, II.2.2, II.3.1, II.3.2, II.4.1, II.4.2, II.5.1, II.5.2',
    );
    expect(transport?.illustrativeTco2e).toBeCloseTo(18.4904097, 6);
    expect(first.inventory.sectors.map((sector) => [sector.sector, sector.complete])).toEqual([
      ['I', true],
      ['II', true],
      ['III', true],
    ]);
  });

  it('writes a PDF whose text shows the sectors, the communes and the provenance annex', () => {
    const pdf = first.reports[0]?.pdf;
    expect(pdf).toBeDefined();
    const text = pdfText(pdf!);

    expect(text).toContain("émissions estimées de Communauté d'agglomération de La Rochelle");
    expect(text).toContain('32 428,0 tCO₂e');
    expect(text).toContain('Énergie stationnaire (GPC I) : 29 109,9 tCO₂e');
    expect(text).toContain('Transports (GPC II) : NE');
    expect(text).toContain('Déchets (GPC III) : 3 318,1 tCO₂e');
    expect(text).toMatch(/17300\s+La Rochelle\s+6 139,7/);
    expect(text).toContain('Inventaire par commune');
    for (const partition of first.sources) {
      expect(text).toContain(partition.sourceId);
    }
    expect(text).toContain('Annexe — provenance');
  });

  it('prints the audience and page x / y on every page', () => {
    const pdf = first.reports[0]!.pdf!;
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let page = 1; page <= pages; page += 1) {
      const text = pdfText(pdf, page);
      expect(text).toContain('Diffusion : comité de pilotage');
      expect(text).toContain(`page ${page} / ${pages}`);
    }
  });

  it('writes the public summary on one A4 page, with the published total on it', () => {
    const summary = first.reports.find((report) => report.reportId === 'public-summary');
    expect(summary?.audience).toBe('public');
    expect(pageCount(summary!.pdf!)).toBe(1);
    const text = pdfText(summary!.pdf!);
    expect(text).toContain('Diffusion publique');
    expect(text).toContain('32 428,0 tCO₂e');
    expect(text).toContain('page 1 / 1');
  });

  it('puts the cover first and the contents, with page numbers, second', () => {
    const pdf = first.reports[0]!.pdf!;
    expect(pdfText(pdf, 1)).toContain('Émissions estimées en 2023');
    expect(pdfText(pdf, 1)).toContain('32 428,0 tCO₂e');
    const contents = pdfText(pdf, 2);
    const synthesis = /1\. Synthèse\s+(\d+)\s*$/m.exec(contents);
    expect(synthesis).not.toBeNull();
    expect(pdfText(pdf, Number(synthesis![1]))).toMatch(/^\s*Synthèse\s*$/m);
  });

  it('lists each partition checksum of the edition in the provenance annex', async () => {
    const manifests = await listCurrentManifests(join(homeDir, 'la-rochelle', 'lake'));
    const text = pdfText(first.reports[0]!.pdf!);
    expect(manifests).toHaveLength(5);
    for (const manifest of manifests) expect(text).toContain(manifest.sha256.slice(0, 16));
  });

  it('running the same period again leaves identical partitions, edition and figures', async () => {
    const lake = join(homeDir, 'la-rochelle', 'lake');
    const before = await listCurrentManifests(lake);
    const second = await runCycle('second');
    const after = await listCurrentManifests(lake);

    expect(
      after.map((manifest) => [manifest.source, manifest.period, manifest.sha256, manifest.rows]),
    ).toEqual(
      before.map((manifest) => [manifest.source, manifest.period, manifest.sha256, manifest.rows]),
    );
    expect(after.map((manifest) => manifest.runId)).not.toEqual(
      before.map((manifest) => manifest.runId),
    );
    for (const manifest of after) {
      const files = readdirSync(join(lake, manifest.source, manifest.period)).filter((name) =>
        name.endsWith('.parquet'),
      );
      expect(files).toEqual([`data-${manifest.sha256}.parquet`]);
    }
    expect(second.inventory.editionId).toBe(first.inventory.editionId);
    expect(second.inventory.totalTco2e).toBe(first.inventory.totalTco2e);

    const database = await openDatabase(second.inventory.databaseFile, {
      access_mode: 'READ_ONLY',
    });
    const counts = (
      await database.connection.runAndReadAll(
        `select (select count(*) from raw_sdes_heat_iris)::integer as heat,
                (select count(*) from raw_sinoe_waste)::integer as waste,
                (select count(*) from raw_gtfs_vehicle_km)::integer as transit`,
      )
    ).getRowObjectsJS()[0];
    database.close();
    expect(counts).toEqual({ heat: 3646, waste: 23, transit: 92 });
  }, 120_000);
});
