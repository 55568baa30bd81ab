import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProjectFile } from '../../cli/context.js';
import { loadProject } from '../../config/project.js';
import { connectors } from '../../connectors/index.js';
import { staleParamsSchemas } from '../../connectors/params-schema.js';
import { ConfigError } from '../../lib/errors.js';
import { builtInCases } from './kit-cases.js';

/**
 * Parameters are closed: a key a connector does not know is an error that names the file, the
 * line and the key. A misspelt `departement:` once collected all of France, the connector
 * having ignored it and found no `department`.
 */

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const simulatorUrl = 'http://127.0.0.1:1';
let directory: string;
const saved = process.env.TERREZE_YELO_API_KEY;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'terreze-strict-'));
  process.env.TERREZE_YELO_API_KEY = 'strict-test-key';
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
  if (saved === undefined) delete process.env.TERREZE_YELO_API_KEY;
  else process.env.TERREZE_YELO_API_KEY = saved;
});

/** The demo project file with the SINOE source's `department:` line spelt `departement:`. */
async function misspeltProject(): Promise<{ file: string; line: number }> {
  const text = await readFile(demoProjectFile, 'utf8');
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.trim() === 'department: "17"');
  expect(index).toBeGreaterThan(0);
  lines[index] = lines[index]!.replace('department:', 'departement:');
  const file = join(directory, 'terreze.yaml');
  await writeFile(file, lines.join('\n'));
  return { file, line: index + 1 };
}

describe('strict connector parameters', () => {
  it('every connector refuses a key it does not know, at the top and in nested objects', () => {
    const gbfsVehicles = { url: `${simulatorUrl}/gbfs/3.0/vehicle_status.json` };
    const cases = [
      ...builtInCases.map((item) => [item.connector.id, item.params(simulatorUrl)] as const),
      ['gbfs-vehicle-status', gbfsVehicles] as const,
    ];
    expect(cases.map(([id]) => id).sort()).toEqual([...connectors.keys()].sort());
    for (const [id, params] of cases) {
      const schema = connectors.get(id)!.params;
      expect(schema.safeParse(params).success, id).toBe(true);
      const refused = schema.safeParse({ ...params, departement: '17' });
      expect(refused.success, id).toBe(false);
      expect(refused.error?.issues.map((issue) => issue.code)).toEqual(['unrecognized_keys']);
    }

    const httpJson = builtInCases.find((item) => item.connector.id === 'http-json')!;
    const nested = httpJson.params(simulatorUrl) as { fields: Record<string, unknown>[] };
    const typo = { ...nested, fields: [{ ...nested.fields[0], requried: true }] };
    const result = connectors.get('http-json')!.params.safeParse(typo);
    expect(result.error?.issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['unrecognized_keys', ['fields', 0]],
    ]);
  });

  it('loadProject names the file, the line and the unknown key, and suggests the right one', async () => {
    const { file, line } = await misspeltProject();
    const error = (() => {
      try {
        loadProject(file, connectors, { ...process.env, TERREZE_SIMULATOR_URL: simulatorUrl });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `invalid configuration in ${file}\n` +
        `  ${file}:${line} sources[3].params.departement: an unknown key "departement" ` +
        '(did you mean "department"?); connector sinoe-waste takes only url, department',
    );
  });

  it('terreze check exits with code 2 and prints the same lines', async () => {
    const { file, line } = await misspeltProject();
    const result = spawnSync(process.execPath, ['bin/terreze.js', '--project', file, 'check'], {
      cwd: repositoryRoot,
      env: { ...process.env, TERREZE_SIMULATOR_URL: simulatorUrl },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${file}:${line} sources[3].params.departement: an unknown key "departement" (did you mean "department"?)`,
    );
  });
});

describe('docs/connectors/<id>.schema.json', () => {
  it('are the JSON Schemas terreze connector schema --all --out docs/connectors writes', async () => {
    const stale = await staleParamsSchemas(
      join(repositoryRoot, 'docs', 'connectors'),
      connectors.values(),
    );
    expect(stale, 'run: node bin/terreze.js connector schema --all --out docs/connectors').toEqual(
      [],
    );
  });
});
