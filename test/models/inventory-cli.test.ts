import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInventoryEdition } from '../../activities/inventory-edition.js';
import { demoProjectFile } from '../../cli/context.js';
import type { Project } from '../../config/project.js';
import { connectors } from '../../connectors/index.js';
import { createLogger } from '../../lib/logger.js';
import type { InventorySummary } from '../../workflows/types.js';
import { landRawRows, testProject } from './fixtures.js';

const run = promisify(execFile);

/** Runs `terreze inventory …` on the demo project with `home` as its home folder. */
async function terreze(home: string, args: string[], environment: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run('node', ['bin/terreze.js', 'inventory', ...args], {
      env: {
        ...process.env,
        TERREZE_HOME: home,
        TERREZE_PROJECT: demoProjectFile,
        // Never contacted: the commands read editions, not the providers.
        TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9',
        TERREZE_LOG_LEVEL: 'warn',
        ...environment,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/*
 * Editions of the fixture territory filed where the demo project looks for its own
 * (`<home>/la-rochelle/editions`): 2023 as computed in inventory.test.ts (198.418231 t), 2023
 * again with heat at 0.2 kgCO2e/kWh (+13.2 t, editions.test.ts: 211.618231 t), and 2024 with
 * the electricity source failed: 198.418231 − 52 = 146.418231 t, I.1.2 from heat alone.
 */
describe('terreze inventory', () => {
  const homeDir = mkdtempSync(join(tmpdir(), 'terreze-inventory-cli-'));
  const editionsDir = join(homeDir, 'la-rochelle', 'editions');
  let first: InventorySummary;
  let second: InventorySummary;
  let failed: InventorySummary;

  beforeAll(async () => {
    const partitions = await landRawRows(testProject());
    const build = (project: Project, year: number, options: Partial<{ failed: boolean }> = {}) =>
      buildInventoryEdition({
        project,
        editionsDir,
        reportingYear: year,
        partitions: options.failed
          ? partitions.filter((item) => item.sourceId !== 'electricity')
          : partitions,
        failed: options.failed ? [{ sourceId: 'electricity', message: 'answered 503' }] : [],
        skipped: [],
        footprints: new Map(
          options.failed
            ? partitions
                .filter((item) => item.sourceId === 'electricity')
                .map((item) => [item.sourceId, item])
            : [],
        ),
        connectors,
        logger: createLogger({ level: 'error' }),
      });
    first = await build(testProject(), 2023);
    const hotter = testProject({
      localFactors: testProject().inventory.localFactors.map((factor) =>
        factor.id === 'heat' ? { ...factor, value: 0.2 } : factor,
      ),
    });
    second = await build(hotter, 2023);
    failed = await build(testProject(), 2024, { failed: true });
  }, 120_000);

  afterAll(() => rm(homeDir, { recursive: true, force: true }));

  it('lists the editions with their year, creation and total', async () => {
    const [text, json] = await Promise.all([
      terreze(homeDir, ['list']),
      terreze(homeDir, ['list', '--year', '2023', '--json']),
    ]);

    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        new RegExp(`^${first.editionId}  2023  \\S+Z +198\\.4 tCO2e  complete$`),
      ),
      expect.stringMatching(
        new RegExp(`^${second.editionId}  2023  \\S+Z +211\\.6 tCO2e  complete$`),
      ),
      expect.stringMatching(
        new RegExp(
          `^${failed.editionId}  2024  \\S+Z +146\\.4 tCO2e  incomplete: missing electricity; ` +
            'failed: electricity$',
        ),
      ),
    ]);
    const listed = JSON.parse(json.stdout) as { editionId: string; totalTco2e: number }[];
    expect(listed.map((item) => [item.editionId, Math.round(item.totalTco2e * 1e6) / 1e6])).toEqual(
      [
        [first.editionId, 198.418231],
        [second.editionId, 211.618231],
      ],
    );
  }, 60_000);

  it('shows an edition by sector with its notation keys and what it misses', async () => {
    const [result, json] = await Promise.all([
      terreze(homeDir, ['show', '--year', '2024']),
      terreze(homeDir, ['show', first.editionId, '--json']),
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Inventory edition ${failed.editionId}, reporting year 2024, created`,
    );
    // 116.1 + 16.8 + 10.4 = 143.3 t in sector I; 0.146418231 t per inhabitant.
    expect(result.stdout).toContain(
      '  total 146.4 tCO2e, 0.15 tCO2e per inhabitant — incomplete: missing electricity; ' +
        'failed: electricity\n',
    );
    expect(result.stdout).toMatch(
      /\n {2}I {4}Stationary energy +143\.3 tCO2e {2}incomplete: missing electricity {2}notation keys: I\.2\.1, /,
    );
    expect(result.stdout).toMatch(/\n {2}III {2}Waste +3\.1 tCO2e {2}complete {2}notation keys: /);
    expect(result.stdout).toContain('  source electricity failed: answered 503\n');
    const shown = JSON.parse(json.stdout) as {
      sectors: { sector: string; tco2e: number; subsectorsWithNotationKey: string[] }[];
    };
    expect(shown.sectors.slice(1).map((item) => item.subsectorsWithNotationKey)).toEqual([
      ['II.1.2', 'II.2.1', 'II.2.2', 'II.3.1', 'II.3.2', 'II.4.1', 'II.4.2', 'II.5.1', 'II.5.2'],
      ['III.1.2', 'III.2.2', 'III.3.2', 'III.4.1', 'III.4.2'],
    ]);
    expect(shown.sectors.map((item) => [item.sector, Math.round(item.tco2e * 1e6) / 1e6])).toEqual([
      ['I', 195.3],
      ['II', 0.029481],
      ['III', 3.08875],
    ]);
  }, 60_000);

  it("prints an edition's diff against its predecessor, or against the edition named", async () => {
    const [written, json, onDemand] = await Promise.all([
      terreze(homeDir, ['diff', second.editionId]),
      terreze(homeDir, ['diff', second.editionId, '--json']),
      terreze(homeDir, ['diff', first.editionId, second.editionId]),
    ]);

    expect(written.code).toBe(0);
    expect(written.stdout).toBe(
      [
        `Edition ${second.editionId} against ${first.editionId} (reporting year 2023)`,
        '  factor local:heat changed: 0.112 kgCO2e/kWh → 0.2 kgCO2e/kWh',
        '  total 198.418 tCO2e → 211.618 tCO2e (+13.200 tCO2e)',
        '  sector I: +13.200 tCO2e',
        '  sub-sector I.1.2: +13.200 tCO2e',
        '  2 activity row(s) changed',
        '    heat heat-network 1701C|172000101|heat|R (I.1.2): 5.600 tCO2e → 10.000 tCO2e',
        '    heat heat-network 1701C|173000101|heat|R (I.1.2): 11.200 tCO2e → 20.000 tCO2e',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(json.stdout)).toEqual(
      JSON.parse(readFileSync(join(second.editionDir, 'diff.json'), 'utf8')),
    );
    expect(onDemand.code).toBe(0);
    expect(onDemand.stdout).toContain(
      `Edition ${first.editionId} against ${second.editionId} (reporting year 2023)\n` +
        '  factor local:heat changed: 0.2 kgCO2e/kWh → 0.112 kgCO2e/kWh\n' +
        '  total 211.618 tCO2e → 198.418 tCO2e (-13.200 tCO2e)\n',
    );
  }, 60_000);

  it('exits 3 when an edition, a year or a predecessor does not exist', async () => {
    const [unknown, year, alone] = await Promise.all([
      terreze(homeDir, ['show', '2023-000000000000']),
      terreze(homeDir, ['list', '--year', '2019']),
      terreze(homeDir, ['diff', first.editionId]),
    ]);

    expect([unknown.code, year.code, alone.code]).toEqual([3, 3, 3]);
    expect(unknown.stderr).toBe(
      `terreze: no inventory edition 2023-000000000000 in ${editionsDir} (years with editions: ` +
        '2023, 2024); terreze inventory list shows them\n',
    );
    expect(year.stderr).toBe(
      `terreze: no inventory edition of 2019 in ${editionsDir} (years: 2023, 2024); run the ` +
        'cycle of that year first\n',
    );
    expect(alone.stderr).toBe(
      `terreze: edition ${first.editionId} has no previous edition of 2023 to compare with: ` +
        `name one, terreze inventory diff ${first.editionId} <against>\n`,
    );
  }, 60_000);

  it('exits 2 on a show without an edition or a year, or with both, and on a bad year', async () => {
    const [neither, both, badYear] = await Promise.all([
      terreze(homeDir, ['show']),
      terreze(homeDir, ['show', first.editionId, '--year', '2023']),
      terreze(homeDir, ['list', '--year', 'last']),
    ]);

    expect([neither.code, both.code, badYear.code]).toEqual([2, 2, 2]);
    expect(neither.stderr).toBe(
      'terreze: inventory show needs an edition id or --year <year>, e.g. inventory show ' +
        '--year 2023; terreze inventory list shows the editions\n',
    );
    expect(both.stderr).toBe('terreze: name an edition or give --year, not both\n');
    expect(badYear.stderr).toContain('expected a year such as 2023, got "last"');
  }, 60_000);

  it('reads the editions without the variables only the sources use', async () => {
    const [listed, shown] = await Promise.all([
      terreze(homeDir, ['list', '--year', '2023'], { TERREZE_SIMULATOR_URL: '' }),
      terreze(homeDir, ['show', first.editionId], { TERREZE_SIMULATOR_URL: '' }),
    ]);

    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(listed.stdout.split('\n').filter(Boolean).length).toBe(2);
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout.split('\n')[0]).toMatch(
      new RegExp(`^Inventory edition ${first.editionId}, reporting year 2023, created `),
    );
  }, 60_000);
});
