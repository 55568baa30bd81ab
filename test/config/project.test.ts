import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConnectorDeclarations, loadProject, vintageFor } from '../../config/project.js';
import { ConfigError } from '../../lib/errors.js';

const declarations: ConnectorDeclarations = new Map([
  ['file-csv', { params: z.object({ url: z.url() }), periodicity: 'annual' as const }],
  ['reference', { params: z.object({ url: z.url() }), periodicity: 'snapshot' as const }],
]);

const validProject = `project: test-territory
territory:
  name: Test
  epci: "241700434"
  population: { inhabitants: 1000, year: 2023, source: test }
  department: { code: "17", name: Test, population: { inhabitants: 4000, year: 2023, source: test } }
  communes:
    - { insee: "17300", name: La Rochelle }
inventory:
  referenceYear: 2019
  targets: [{ year: 2030, reductionPercent: 30 }]
  gwp: { set: AR5, CO2: 1, CH4: 28, N2O: 265 }
  factors: { electricity: base-carbone:42513 }
cycle: {}
sources:
  - id: waste
    connector: file-csv
    domain: waste
    title: Waste
    producer: ADEME
    licence: LO 2.0
    access: public
    vintages: [2017]
    params: { url: "\${PROVIDER_URL}/waste.csv" }
reports:
  - { id: committee, template: committee.md, title: Report, audience: committee }
`;

function writeProject(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'terreze-config-')), 'terreze.yaml');
  writeFileSync(file, text);
  return file;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('project file', () => {
  it('loads a valid file, expanding environment variables in strings', () => {
    const file = writeProject(validProject);
    const { project } = loadProject(file, declarations, { PROVIDER_URL: 'http://127.0.0.1:9' });

    expect(project.sources[0]?.params).toEqual({ url: 'http://127.0.0.1:9/waste.csv' });
    expect(project.territory.timeZone).toBe('Europe/Paris');
    expect(project.cycle).toEqual({ concurrency: 4, onSourceFailure: 'continue' });
  });

  it('names the file, the line, the path and what was expected for each problem', () => {
    const broken = validProject
      .replace('epci: "241700434"', 'epci: "2417"')
      .replace('access: public', 'access: everyone');
    const file = writeProject(broken);
    const error = configError(() =>
      loadProject(file, declarations, { PROVIDER_URL: 'http://x.test' }),
    );

    const lines = broken.split('\n');
    const epciLine = lines.findIndex((line) => line.includes('epci: "2417"')) + 1;
    const accessLine = lines.findIndex((line) => line.includes('access: everyone')) + 1;
    expect(error.file).toBe(file);
    expect(error.problems).toEqual([
      {
        path: 'territory.epci',
        line: epciLine,
        expected: 'a nine-digit SIREN code of the EPCI such as 241700434',
      },
      expect.objectContaining({ path: 'sources[0].access', line: accessLine }),
    ]);
    expect(error.message).toContain(`${file}:${epciLine} territory.epci: a nine-digit SIREN code`);
  });

  it('refuses a misspelt key anywhere in the file, naming the nearest known one', () => {
    const file = writeProject(
      validProject
        .replace('cycle: {}', 'cycle: { concurency: 8 }')
        .replace('    access: public\n', '    access: public\n    maxBadRowShar: 0.1\n'),
    );
    const error = configError(() =>
      loadProject(file, declarations, { PROVIDER_URL: 'http://127.0.0.1:9' }),
    );

    expect(error.problems).toEqual([
      {
        path: 'cycle.concurency',
        line: 14,
        expected:
          'an unknown key "concurency" (did you mean "concurrency"?); this block takes only ' +
          'schedule, concurrency, onSourceFailure',
      },
      expect.objectContaining({
        path: 'sources[0].maxBadRowShar',
        line: 23,
        expected: expect.stringMatching(
          /^an unknown key "maxBadRowShar" \(did you mean "maxBadRowShare"\?\); this block takes only id, connector, /,
        ),
      }),
    ]);
  });

  it('refuses a factor under an activity key the models do not know, on its line', () => {
    const file = writeProject(
      validProject.replace(
        'factors: { electricity: base-carbone:42513 }',
        'factors:\n    electricty: base-carbone:42513\n    transit-tram-electricity: base-carbone:42513',
      ),
    );
    const error = configError(() =>
      loadProject(file, declarations, { PROVIDER_URL: 'http://127.0.0.1:9' }),
    );

    // No fleet and no lever are declared: the staged keys, the keys levers meet by default and
    // each transit mode's key alone; transit-tram-electricity needs a tram fleet on electricity.
    // "electricty" is 1 edit from "electricity"; "transit-tram-electricity" 4 from
    // "transit-bus-electricity" (tram → bus), within the threshold of 6 (a quarter of 24).
    const known =
      'cooling-network, electricity, heat-network, natural-gas, transit-bus, ' +
      'transit-bus-diesel, transit-bus-electricity, transit-cable, ' +
      'transit-coach, transit-ferry, transit-metro, transit-monorail, transit-rail, ' +
      'transit-tram, transit-trolleybus, transit-unknown-mode, waste-composting-green, ' +
      'waste-incineration-hazardous, waste-incineration-non-hazardous, ' +
      'waste-incineration-putrescible, waste-landfill-hazardous, waste-landfill-inert, ' +
      'waste-landfill-non-hazardous, waste-landfill-putrescible, waste-material-recovery, ' +
      'waste-organic-recovery-other, waste-treatment-unspecified';
    expect(error.problems).toEqual([
      {
        path: 'inventory.factors.electricty',
        line: 14,
        expected: `an unknown key "electricty" (did you mean "electricity"?); inventory.factors takes only ${known}`,
      },
      {
        path: 'inventory.factors.transit-tram-electricity',
        line: 15,
        expected:
          'an unknown key "transit-tram-electricity" (did you mean "transit-bus-electricity"?); ' +
          `inventory.factors takes only ${known}; ` +
          'a transit-<mode>-<carrier> key needs its carrier in inventory.transit.fleet',
      },
    ]);
  });

  it('accepts the transit keys of the declared fleet and the activities of the levers', () => {
    const fleet =
      '  transit: { fleet: [{ mode: ferry, carrier: diesel, share: 1, source: test }] }\n' +
      '  levers:\n' +
      '    - { id: digest, kind: divert-waste, title: Digest, tonnes: 5, gpcRef: III.2.1,\n' +
      '        fromActivity: waste-landfill-non-hazardous, toActivity: waste-digestion }\n';
    const file = writeProject(
      validProject.replace(
        'factors: { electricity: base-carbone:42513 }\n',
        'factors: { transit-ferry-diesel: local:diesel, waste-digestion: local:diesel }\n' +
          '  localFactors:\n' +
          '    - { id: diesel, name: D, unit: kgCO2e/L, value: 3.17, year: 2017, source: t }\n' +
          fleet,
      ),
    );
    const { project } = loadProject(file, declarations, { PROVIDER_URL: 'http://127.0.0.1:9' });

    expect(project.inventory.factors).toEqual({
      'transit-ferry-diesel': 'local:diesel',
      'waste-digestion': 'local:diesel',
    });
  });

  it('refuses a duration it cannot read with its line, without throwing from the parser', () => {
    const file = writeProject(
      validProject.replace(
        'cycle: {}',
        'cycle: { schedule: { cron: ["0 6 15 3 *"], catchupWindow: 2 dayz } }',
      ),
    );
    const error = configError(() =>
      loadProject(file, declarations, { PROVIDER_URL: 'http://127.0.0.1:9' }),
    );

    expect(error.problems).toEqual([
      {
        path: 'cycle.schedule.catchupWindow',
        line: 14,
        expected: 'a duration with its unit, such as "30 seconds", "10m" or "3 days"',
      },
    ]);
  });

  it('names a missing environment variable instead of leaving an empty URL', () => {
    const file = writeProject(validProject);
    const error = configError(() => loadProject(file, declarations, {}));

    // The params mapping sits on line 24 of the file above.
    expect(error.problems).toEqual([
      {
        path: 'sources[0].params.url',
        line: 24,
        expected: 'environment variable PROVIDER_URL to be set: export it, or set it in .env',
      },
    ]);
  });

  it("leaves a variable only a source's params use unexpanded, when asked, and none other", () => {
    const file = writeProject(validProject);
    const options = { sourceVariables: 'optional-in-sources' } as const;
    const { project } = loadProject(file, declarations, {}, options);
    expect(project.sources[0]!.params).toEqual({ url: `\${PROVIDER_URL}/waste.csv` });

    const elsewhere = writeProject(validProject.replace('name: Test\n', `name: \${NAME_OF}\n`));
    const error = configError(() => loadProject(elsewhere, declarations, {}, options));
    expect(error.problems).toEqual([
      {
        path: 'territory.name',
        line: 3,
        expected: 'environment variable NAME_OF to be set: export it, or set it in .env',
      },
    ]);
  });

  it('checks source parameters against the connector and names unknown connectors', () => {
    const file = writeProject(
      validProject
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the project file's own ${NAME} syntax
        .replace('url: "${PROVIDER_URL}/waste.csv"', 'url: not-a-url')
        .replace(
          'reports:',
          '  - { id: other, connector: nope, domain: energy, title: T, producer: P, licence: L, access: public, vintages: [2020] }\nreports:',
        ),
    );
    const error = configError(() => loadProject(file, declarations, {}));

    expect(error.problems.map((problem) => problem.path)).toEqual([
      'sources[0].params.url',
      'sources[1].connector',
    ]);
    expect(error.problems[1]?.expected).toBe('one of the connectors file-csv, reference');
  });

  it('requires vintages for annual connectors only', () => {
    const file = writeProject(validProject.replace('    vintages: [2017]\n', ''));
    const error = configError(() =>
      loadProject(file, declarations, { PROVIDER_URL: 'http://x.test' }),
    );

    expect(error.problems[0]?.path).toBe('sources[0]');
    expect(error.problems[0]?.expected).toContain('vintages');
  });

  it('reports invalid YAML with its line', () => {
    const file = writeProject('project: [unclosed\n');
    const error = configError(() => loadProject(file, declarations, {}));

    expect(error.problems[0]?.expected).toMatch(/^valid YAML/);
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(1);
  });

  it('the demo project file is valid', () => {
    const demo = readFileSync(
      new URL('../../projects/la-rochelle/terreze.yaml', import.meta.url),
      'utf8',
    );
    expect(demo).toContain('epci: "241700434"');
  });
});

describe('vintage selection', () => {
  it('uses the latest vintage not after the reporting year', () => {
    expect(vintageFor([2009, 2011, 2017], 2023)).toBe(2017);
    expect(vintageFor([2020, 2023], 2023)).toBe(2023);
    expect(vintageFor([2020, 2023], 2022)).toBe(2020);
    expect(vintageFor([2024], 2023)).toBeUndefined();
  });
});
