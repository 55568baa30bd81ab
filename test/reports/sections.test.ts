import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RenderedNotebook, renderNotebook } from '../../reports/engine/index.js';
import { createTestDatabase, inventoryContext, type TestDatabase } from './database.js';

const folder = resolve('test/fixtures/reports/sections');
const report = join(folder, 'summary.md');
const partial = join(folder, 'partials', 'communes_section.md');
const thin = '\u202f';
const space = '\u00a0';

describe('sections shared through partials, covers and audiences', () => {
  let database: TestDatabase;
  let reader: Awaited<ReturnType<TestDatabase['openReadOnly']>>;
  let rendered: RenderedNotebook;

  beforeAll(async () => {
    database = await createTestDatabase();
    reader = await database.openReadOnly();
    rendered = await renderNotebook({
      file: report,
      connection: reader.connection,
      context: inventoryContext,
      audience: 'public',
    });
  });

  afterAll(async () => {
    reader.close();
    await database.remove();
  });

  it("runs the cells of an included partial and places them in the partial's text", () => {
    const byCommune = rendered.cells.find(
      (cell) => cell.name === 'by_commune' && cell.kind === 'sql',
    );
    expect(byCommune).toMatchObject({ file: partial, line: 3, rowCount: 5 });
    expect(rendered.html).toContain('5 communes ont une estimation.');
    // Sums of the 2023 rows of database.ts by commune, by hand: La Rochelle 98,765.4 +
    // 54,321.0 + 123,456.7 + 8,765.4 = 285,308.5; all communes 378,270.9.
    expect(rendered.html).toContain(
      `<th scope="row">La Rochelle</th><td class="numeric">285${thin}308,5</td>`,
    );
    expect(rendered.html).toContain(`<td class="numeric">378${thin}270,9</td>`);
  });

  it('names the partial file and line in the source line of its table', () => {
    expect(rendered.html).toContain(
      'Source : requête « by_commune » (partials/communes_section.md, ligne 3) · tables : emissions · 5 lignes.',
    );
  });

  it('never runs the cells of a partial the report does not include', () => {
    expect(rendered.cells.map((cell) => cell.name)).toEqual(['total', 'by_commune', 'by_commune']);
  });

  it('puts the text before the first heading on the cover, under the title', () => {
    const cover = rendered.html.slice(
      rendered.html.indexOf('<header class="report-header cover">'),
      rendered.html.indexOf('</header>'),
    );
    expect(cover).toContain('Synthèse — Agglomération de La Rochelle');
    expect(cover).toContain(`Total : <strong>378${thin}270,9${space}tCO₂e</strong>`);
    expect(rendered.html.indexOf('<nav class="toc"')).toBeGreaterThan(
      rendered.html.indexOf('</header>'),
    );
  });

  it("takes the caller's audience over the front matter's", () => {
    expect(rendered.audience).toBe('public');
    expect(rendered.html).toContain('<body class="audience-public">');
    expect(rendered.html).toContain('Diffusion publique');
    expect(rendered.html).toContain('Diffusion demandée : public.');
  });

  it('leaves the query annex out when the front matter says so', () => {
    expect(rendered.html).not.toContain('Annexe — provenance des requêtes');
  });

  it('stops at a failing cell of a partial, naming the partial file and the line', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'terreze-sections-'));
    try {
      const file = join(directory, 'report.md');
      await writeFile(file, '---\ntitle: T\naudience: public\n---\n# A\n\n{{> broken_section}}\n');
      const run = renderNotebook({
        file,
        connection: reader.connection,
        partialsDirs: [join(folder, 'partials')],
      });
      await expect(run).rejects.toThrow(
        `${join(folder, 'partials', 'broken_section.md')}:5 sql cell "broken_query" failed: Catalog Error: Table with name emissions_missing does not exist!`,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a cell name used by both the report and a partial, naming both places', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'terreze-sections-'));
    try {
      const file = join(directory, 'report.md');
      await writeFile(
        file,
        '---\ntitle: T\naudience: public\nparameters:\n  year: { type: integer, default: 2023 }\n---\n```sql by_commune\nselect 1 as n\n```\n{{> communes_section}}\n',
      );
      const run = renderNotebook({
        file,
        connection: reader.connection,
        partialsDirs: [join(folder, 'partials')],
      });
      await expect(run).rejects.toThrow(
        `${partial}:3 sql cell "by_commune" is already defined at ${file} line 7`,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
