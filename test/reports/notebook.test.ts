// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${name} is the report's SQL placeholder syntax
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../lib/errors.js';
import { type RenderedNotebook, renderNotebook } from '../../reports/engine/index.js';
import { createTestDatabase, inventoryContext, type TestDatabase } from './database.js';

const fixture = 'test/fixtures/reports/inventaire.md';
const errors = resolve('test/fixtures/reports/errors');
const thin = '\u202f';
const space = '\u00a0';

describe('renderNotebook', () => {
  let database: TestDatabase;
  let reader: Awaited<ReturnType<TestDatabase['openReadOnly']>>;
  let rendered: RenderedNotebook;

  const render = (file: string, parameters: Record<string, unknown> = {}) =>
    renderNotebook({ file, connection: reader.connection, parameters, context: inventoryContext });

  async function failure(
    file: string,
    parameters: Record<string, unknown> = {},
  ): Promise<ReportError> {
    try {
      await render(file, parameters);
    } catch (error) {
      if (error instanceof ReportError) return error;
      throw error;
    }
    throw new Error(`${file} rendered without error`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    reader = await database.openReadOnly();
    rendered = await render(fixture);
  });

  afterAll(async () => {
    reader.close();
    await database.remove();
  });

  it('renders the title from the context and resolves default parameters', () => {
    expect(rendered.title).toBe('Inventaire des émissions — Agglomération de La Rochelle');
    expect(rendered.audience).toBe('committee');
    expect(rendered.parameters).toEqual({ year: 2023, reference_year: 2019, sector: null });
    expect(rendered.html).toContain(
      '<title>Inventaire des émissions — Agglomération de La Rochelle</title>',
    );
    expect(rendered.html).toContain(
      '<p class="audience-banner" role="note">Diffusion : comité de pilotage</p>',
    );
  });

  it('writes the narrative figures in French formats', () => {
    const html = rendered.html;
    expect(html).toContain(
      `Le territoire a émis <strong>378${thin}270,9${space}tCO₂e</strong> en 2023, soit`,
    );
    expect(html).toContain(
      `3,33 tCO₂e par habitant et une évolution de\n-1,7${space}% depuis 2019.`,
    );
    expect(html).toContain('Les émissions sont en baisse.');
    expect(html).toContain('La baisse reste loin de l&#39;objectif de −30 % en 2030.');
    expect(html).toContain('Tous les secteurs sont comptés.');
    expect(html).toContain(
      'L&#39;inventaire compte 17 lignes sur 5 communes\net 1 source confidentielle',
    );
    expect(html).toContain('l&#39;industrie de Périgny est\nnotée C.');
    expect(html).toContain('Données arrêtées au 31 mars 2024 (Édition 2024-T1) ; 2 sources');
    expect(html).toContain('collectées entre le 25/03/2024 et le 28 mars 2024.');
  });

  it('lists rows with #each and shows a notation key for a missing figure', () => {
    expect(rendered.html).toContain(
      [
        `<li>Transport routier : 172${thin}221,0${space}tCO₂e</li>`,
        `<li>Résidentiel : 134${thin}073,9${space}tCO₂e</li>`,
        `<li>Tertiaire : 58${thin}642,9${space}tCO₂e</li>`,
        `<li>Déchets : 9${thin}999,9${space}tCO₂e</li>`,
        `<li>Agriculture : 3${thin}333,2${space}tCO₂e</li>`,
        '<li>Industrie hors branche énergie : C</li>',
      ].join('\n'),
    );
  });

  it('renders the partial with its helpers and glyphs', () => {
    expect(rendered.html).toContain('<h2 id="methode">Méthode</h2>');
    expect(rendered.html).toContain('3 facteurs de la Base Carbone, par exemple\n0,052 kgCO₂e/kWh');
    expect(rendered.html).toContain(
      `327 km² ; qualité de l&#39;air suivie en μg/m³ ; budget du plan :\n1${thin}200${thin}000 €.`,
    );
  });

  it('formats table columns, totals over known values, and notes what is missing', () => {
    const html = rendered.html;
    expect(html).toContain(
      `<tr><th scope="row">La Rochelle</th><td class="numeric">75${thin}735</td><td class="numeric">285${thin}308,5${space}tCO₂e</td><td class="numeric">3,77</td><td class="numeric">75,4${space}%</td></tr>`,
    );
    expect(html).toContain(
      '<tr><th scope="row">Nieul-sur-Mer</th><td class="numeric">5\u202f925</td><td class="numeric">—</td><td class="numeric">—</td><td class="numeric">—</td></tr>',
    );
    expect(html).toContain(
      `<tfoot><tr class="total-row"><th scope="row">Total</th><td class="numeric">113${thin}485</td><td class="numeric">378${thin}270,9${space}tCO₂e*</td><td></td><td></td></tr></tfoot>`,
    );
    expect(html).toContain(
      '* Total « tCO₂e » des seules valeurs renseignées : 1 valeur manquante (—).',
    );
    expect(html).toContain(
      `<tr><th scope="row">PDL-042</th><td>Périgny</td><td class="numeric">436,8</td></tr>`,
    );
    expect(html).toContain(`<td class="numeric">42${thin}588,0</td></tr></tfoot>`);
    expect(html).toMatch(/<figure class="report-table table-long" id="table-3" data-cell="sites">/);
    expect(html).toMatch(
      /<figure class="report-table table-short" id="table-2" data-cell="communes">/,
    );
  });

  it('renders each chart as a figure with inline SVG, caption, text alternative and data', () => {
    const figures = [
      ...rendered.html.matchAll(/<figure class="chart[^"]*" id="(figure-\d)"[\s\S]*?<\/figure>/g),
    ];
    expect(figures.map((match) => match[1])).toEqual(['figure-1', 'figure-2']);

    const [bars, trend] = figures.map((match) => match[0]);
    expect(bars).toContain(
      '<figcaption><span class="figure-label">Figure 1</span> — Émissions par secteur en tCO₂e</figcaption>',
    );
    expect(bars).toContain(
      `<svg role="img" aria-label="Diagramme en barres « Émissions par secteur en tCO₂e », 6 valeurs ; tCO₂e de 3${thin}333,2 (Agriculture) à 172${thin}221,0 (Transport routier) ; 1 valeur non disponible."`,
    );
    expect(bars).toContain('font-family="DejaVu Sans, Verdana, sans-serif"');
    expect(bars).toContain('<details class="chart-data"><summary>Données de la figure 1</summary>');
    expect(bars).toContain(
      '<tr><th scope="row">Industrie hors branche énergie</th><td class="numeric">C</td></tr>',
    );
    expect(bars).toContain(
      'Source : requête « by_sector » (ligne 61) · tables : emissions · 6 lignes.',
    );
    expect(trend).toContain(
      '<tr><th scope="row">Objectif</th><td>2030</td><td class="numeric">269\u202f360,0</td></tr>',
    );
    expect(trend).toContain('width="640"');
  });

  it('builds a table of contents from the # and ## headings', () => {
    const toc = /<nav class="toc"[\s\S]*?<\/nav>/.exec(rendered.html)![0];
    const links = [...toc.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map(
      (match) => `${match[1]} ${match[2]}`,
    );
    expect(links).toEqual([
      'synthese Synthèse',
      'fraicheur-des-donnees Fraîcheur des données',
      'inventaire-par-secteur Inventaire par secteur',
      'methode Méthode',
      'inventaire-par-commune Inventaire par commune',
      'trajectoire Trajectoire',
      'annexe-points-de-livraison Annexe — points de livraison',
      'annexe-provenance-des-requetes Annexe — provenance des requêtes',
    ]);
  });

  it('is self-contained: no script, no external reference, nothing that fetches', () => {
    const html = rendered.html;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(?:src|href|srcset|xlink:href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
    const external = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((match) => match[0]);
    expect(new Set(external)).toEqual(
      new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']),
    );
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('returns every cell with its line and, for SQL, its tables and row count', () => {
    const communes = rendered.cells.find((cell) => cell.kind === 'sql' && cell.name === 'communes');
    expect(communes).toMatchObject({
      line: 107,
      tables: ['communes', 'emissions'],
      rowCount: 6,
      parameters: { year: 2023 },
    });
    expect(communes!.sql).toContain(
      'left join emissions as e on e.commune = c.name and e.year = ${year}',
    );
    expect(rendered.cells.find((cell) => cell.kind === 'chart' && cell.name === 'trend')).toEqual({
      name: 'trend',
      kind: 'chart',
      file: fixture,
      line: 137,
    });
    expect(
      rendered.cells.filter((cell) => cell.kind === 'sql').map((cell) => cell.rowCount),
    ).toEqual([1, 1, 1, 1, 1, 6, 3, 1, 6, 7, 90]);
  });

  it('renders the same document twice from the same inputs', async () => {
    const again = await render(fixture);
    expect(again.html).toBe(rendered.html);
  });

  it('filters by an optional parameter when it is given', async () => {
    const transport = await render(fixture, { sector: 'Transport routier' });
    expect(transport.html).toContain(`<strong>172${thin}221,0${space}tCO₂e</strong>`);
    expect(transport.html).not.toContain('Tous les secteurs sont comptés.');
  });

  it('stops at a failing SQL cell, naming the file, the line and DuckDB', async () => {
    const file = join(errors, 'broken-sql.md');
    const error = await failure(file);
    expect(error.line).toBe(11);
    expect(error.message).toContain(`${file}:11 sql cell "broken" failed: `);
    expect(error.message).toContain('Table with name emissions_typo does not exist!');
  });

  it('names a missing required parameter and a parameter of the wrong type', async () => {
    const file = join(errors, 'required-parameter.md');
    expect((await failure(file)).message).toBe(
      `${file}:5 missing required parameter "commune" (a string)`,
    );
    expect((await failure(file, { commune: 'Aytré', year: 'deux mille' })).message).toBe(
      `${file}:6 parameter "year" has the wrong type: "deux mille" is not an integer`,
    );
  });

  it('names a chart that reads an unknown cell', async () => {
    const file = join(errors, 'unknown-chart-cell.md');
    expect((await failure(file)).message).toBe(
      `${file}:11 chart cell "sectors" reads unknown cell "by_secteur" (sql cells: by_sector)`,
    );
  });

  it('names an unknown cell in the narrative, even in a branch that would not render', async () => {
    const file = join(errors, 'unknown-narrative-cell.md');
    expect((await failure(file)).message).toBe(
      `${file}:13 unknown cell or value "transport" in the narrative (sql cells: totals; context: territory, edition; parameters under params; audience.)`,
    );
  });

  it('names an unknown helper', async () => {
    const file = join(errors, 'unknown-helper.md');
    const error = await failure(file);
    expect(error.line).toBe(11);
    expect(error.message).toMatch(
      new RegExp(`^${file}:11 unknown helper "money" \\(helpers: and, date, each, `),
    );
  });

  it('places a problem inside a partial on the line of the partial file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'terreze-partials-'));
    try {
      await writeFile(
        join(directory, 'note.md'),
        'Une note.\n{{number totals.0.tco2e}} {{percent totals.0.nope}}\n',
      );
      const file = join(directory, 'report.md');
      await writeFile(
        file,
        '---\ntitle: T\naudience: public\n---\n```sql totals\nselect 1.5 as tco2e\n```\n{{> note}}\n',
      );
      const run = renderNotebook({
        file,
        connection: reader.connection,
        partialsDirs: [directory],
      });
      await expect(run).rejects.toThrow(
        `${join(directory, 'note.md')}:2 percent: "totals.0.nope" is not defined (misspelt column or cell?)`,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses raw HTML that would load something', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'terreze-report-'));
    try {
      const file = join(directory, 'report.md');
      await writeFile(
        file,
        '---\ntitle: T\naudience: public\n---\n# A\n\n<img src="http://127.0.0.1:9/logo.png">\n',
      );
      await expect(renderNotebook({ file, connection: reader.connection })).rejects.toThrow(
        'would load external resources, which a self-contained edition may not: <img src="http://127.0.0.1:9/logo.png">',
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
