import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ConnectorDeclarations, loadProject } from '../../config/project.js';
import { connectors } from '../../connectors/index.js';
import { ConfigError } from '../../lib/errors.js';

const demoFile = fileURLToPath(new URL('../../projects/la-rochelle/terreze.yaml', import.meta.url));
const demo = readFileSync(demoFile, 'utf8');
const declarations: ConnectorDeclarations = new Map(
  [...connectors].map(([id, connector]) => [
    id,
    { params: connector.params, periodicity: connector.periodicity },
  ]),
);
const environment = { TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9' };

function load(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'terreze-inventory-config-')), 'terreze.yaml');
  writeFileSync(file, text);
  return { file, load: () => loadProject(file, declarations, environment) };
}

function problemsOf(text: string) {
  const { file, load: run } = load(text);
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return { file, problems: error.problems };
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const lineOf = (text: string, fragment: string) =>
  text.split('\n').findIndex((line) => line.includes(fragment)) + 1;

describe('the inventory section of the project file', () => {
  it("loads the demo's method: baseline, conversions, fleet, secrecy and levers", () => {
    const { inventory } = load(demo).load().project;

    expect(inventory.referenceYear).toBe(2023);
    expect(inventory.baseline.from).toBe('edition');
    expect(inventory.unitConversions.map((item) => [item.from, item.to, item.multiplier])).toEqual([
      ['vehicle-km', 'L', 0.465],
      ['vehicle-km', 'kWh', 1.3],
    ]);
    expect(inventory.transit.fleet).toEqual([
      expect.objectContaining({ mode: 'bus', carrier: 'diesel', share: 1 }),
    ]);
    expect(inventory.secrecy).toMatchObject({
      minimumUnits: 3,
      dominanceShare: 0.85,
      maskedAudiences: ['public'],
    });
    expect(inventory.levers.map((lever) => lever.kind)).toEqual([
      'renovate-dwellings',
      'electrify-buses',
      'divert-waste',
      'divert-waste',
    ]);
    expect(inventory.avoidedFactors).toEqual({});
    // IPCC 2006 vol. 5 ch. 4 Table 4.1, wet weight: 4 g CH4 and 0.3 g N2O per kg treated.
    expect(inventory.factors['waste-composting-green']).toBe('local:composting-ipcc-wet-weight');
    expect(
      inventory.localFactors.find((factor) => factor.id === 'composting-ipcc-wet-weight'),
    ).toMatchObject({ unit: 'kgCO2e/t', gases: { CH4: 4, N2O: 0.3 }, basis: 'wet' });
  });

  it('names the file, the line and the path of each problem in the method', () => {
    const broken = demo
      .replace('      to: kWh\n      multiplier: 1.3', '      to: therm\n      multiplier: 1.3')
      .replace('        share: 1\n', '        share: 0.5\n')
      .replace(
        '        value: 10000\n        territoryAssumption: true\n',
        '        value: 10000\n',
      )
      .replace(
        '    - { year: 2030, reductionPercent: 30',
        '    - { year: 2020, reductionPercent: 30',
      );
    const { problems } = problemsOf(broken);

    expect(problems).toEqual([
      {
        path: 'inventory.levers[0].gasPerDwellingKwhPcs',
        // The line of the mapping's first key, where the loader finds the node.
        line: lineOf(broken, 'gasPerDwellingKwhPcs:') + 1,
        expected: "either a source or territoryAssumption: true (the territory's own figure)",
      },
      {
        path: 'inventory.targets[0].year',
        line: lineOf(broken, '{ year: 2020, reductionPercent: 30'),
        expected: 'a year after 2023 (targets come in order, after the reference year)',
      },
      {
        path: 'inventory.unitConversions[1]',
        line: lineOf(broken, '    - from: vehicle-km') + 5,
        expected: 'known units (unknown unit "therm")',
      },
      {
        path: 'inventory.transit.fleet',
        line: lineOf(broken, '    fleet:') + 1,
        expected: 'shares of mode bus adding up to 1, found 0.5',
      },
    ]);
  });

  it('refuses an avoided-emission factor that is not declared', () => {
    const broken = demo.replace(
      '  avoidedFactors: {}',
      '  avoidedFactors: { material-recovery: local:recycling }',
    );
    const { problems } = problemsOf(broken);

    expect(problems).toEqual([
      {
        path: 'inventory.avoidedFactors.material-recovery',
        line: lineOf(broken, 'avoidedFactors:'),
        expected: 'a declared local factor; "recycling" is not in inventory.localFactors',
      },
    ]);
  });
});
