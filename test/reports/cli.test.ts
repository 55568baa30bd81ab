import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProjectFile } from '../../cli/context.js';
import { createEditionHome, type EditionHome } from './edition-fixture.js';
import { asPdfText, pagesText } from './poppler.js';

const run = promisify(execFile);

/** Runs `terreze report …` on the demo project with `home` as its home folder. */
async function terreze(home: string, args: string[]) {
  try {
    const { stdout, stderr } = await run('node', ['bin/terreze.js', 'report', ...args], {
      env: {
        ...process.env,
        TERREZE_HOME: home,
        TERREZE_PROJECT: demoProjectFile,
        // Never contacted: rendering reads the edition, not the providers.
        TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9',
        TERREZE_LOG_FORMAT: 'json',
        TERREZE_LOG_LEVEL: 'warn',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('terreze report render', () => {
  let home: EditionHome;
  let out: string;

  beforeAll(async () => {
    // An edition of the fixture territory, filed where the demo project looks for its own.
    home = await createEditionHome([], {}, 'la-rochelle');
    await home.compute();
    out = await mkdtemp(join(tmpdir(), 'terreze-report-cli-'));
  }, 120_000);

  afterAll(async () => {
    await home?.remove();
    await rm(out, { recursive: true, force: true });
  });

  it('writes the HTML and PDF of the latest edition of the year into --out', async () => {
    const result = await terreze(home.homeDir, [
      'render',
      'committee',
      '--year',
      '2023',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^report committee \(committee\), edition committee-committee-[0-9a-f]{12}\n/,
    );
    expect(result.stdout).toContain(`  HTML: ${join(out, 'committee.html')}\n`);
    expect(result.stdout).toContain(`  PDF:  ${join(out, 'committee.pdf')}\n`);
    expect(existsSync(join(out, 'report-edition.json'))).toBe(true);
    // 63.2 + 2.175 t by hand (edition-fixture.ts).
    expect(asPdfText(pagesText(join(out, 'committee.pdf'))[0]!)).toContain('65,4 tCO₂e');
  }, 60_000);

  it('exits 3 naming the reports when the report does not exist', async () => {
    const result = await terreze(home.homeDir, ['render', 'nope', '--year', '2023']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `terreze: no report "nope" in ${demoProjectFile}; reports: committee, public-summary`,
    );
  }, 60_000);

  it('exits 3 when the year has no inventory edition', async () => {
    const result = await terreze(home.homeDir, ['render', 'committee', '--year', '2019']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no inventory edition of 2019 in');
    expect(result.stderr).toContain('(years: 2023); run the cycle of that year first');
  }, 60_000);

  it('exits 2 on an audience that does not exist', async () => {
    const result = await terreze(home.homeDir, [
      'render',
      'committee',
      '--year',
      '2023',
      '--audience',
      'press',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected one of public, committee, restricted, got "press"');
  }, 60_000);

  it('exits 1 naming the cell when a template reads tables the audience may not see, and what to run', async () => {
    const result = await terreze(home.homeDir, [
      'render',
      'committee',
      '--year',
      '2023',
      '--audience',
      'public',
      '--out',
      join(out, 'public'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/committee\.md:\d+ sql cell "cautions" reads emissions/);
    // The refusal says what to run instead.
    expect(result.stderr.split('). ').at(-1)).toBe(
      'report committee serves committee: leave out --audience, or give --audience committee; ' +
        'for public, run `terreze report render public-summary --year 2023`\n',
    );
    expect(existsSync(join(out, 'public', 'committee.pdf'))).toBe(false);
  }, 60_000);
});
