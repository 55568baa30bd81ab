import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  type RenderedPdf,
  type ReportBrowser,
  readPdfLayout,
  renderPdf,
} from '../../reports/engine/index.js';
import { renderInventoryFixture } from './database.js';
import { pageCount, pagesText } from './poppler.js';

/** poppler's own reading of the named destinations: page and name, one per line. */
function popplerDestinations(file: string): Map<string, number> {
  const listing = execFileSync('pdfinfo', ['-dests', file], { encoding: 'utf8' });
  const entries = [...listing.matchAll(/^\s*(\d+)\s+\[[^\]]*\]\s+"([^"]+)"$/gm)];
  return new Map(entries.map((match) => [match[2]!, Number(match[1])]));
}

describe('table of contents with page numbers', () => {
  let browser: ReportBrowser;
  let folder: string;
  let html: string;
  let pdf: string;
  let result: RenderedPdf;
  let pages: string[];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'terreze-contents-test-'));
    html = await renderInventoryFixture();
    browser = await launchBrowser();
    pdf = join(folder, 'inventaire.pdf');
    result = await renderPdf(browser, html, pdf, {
      headerLeft: 'Agglomération de La Rochelle',
      headerRight: 'Édition 2024-T1',
      footerLeft: 'Inventaire 2023',
      documentDate: new Date('2024-04-02T08:30:00Z'),
    });
    pages = pagesText(pdf);
  });

  afterAll(async () => {
    await browser?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('reads the same destinations and page count as poppler', async () => {
    const layout = readPdfLayout(await readFile(pdf));
    expect(layout.destinations).toEqual(popplerDestinations(pdf));
    expect(layout.pageCount).toBe(pageCount(pdf));
    expect(result.pageCount).toBe(11);
  });

  it('prints once more to write the page numbers, and they settle at once', () => {
    expect(result.passes).toBe(2);
  });

  it('writes the page each heading lands on, as poppler and pdftotext find it', () => {
    // Read from the PDF with poppler, not from the renderer: the page of each destination, and
    // the page whose text starts with that heading under the running header.
    const destinations = popplerDestinations(pdf);
    expect(result.headingPages).toEqual(Object.fromEntries(destinations));
    expect(Object.fromEntries(destinations)).toEqual({
      synthese: 2,
      'fraicheur-des-donnees': 2,
      'inventaire-par-secteur': 3,
      methode: 4,
      'inventaire-par-commune': 5,
      trajectoire: 6,
      'annexe-points-de-livraison': 7,
      'annexe-provenance-des-requetes': 10,
    });
    for (const [heading, page] of [
      ['Synthèse', 2],
      ['Fraîcheur des données', 2],
      ['Inventaire par secteur', 3],
      ['Méthode', 4],
      ['Inventaire par commune', 5],
      ['Trajectoire', 6],
      ['Annexe — points de livraison', 7],
      ['Annexe — provenance des requêtes', 10],
    ] as const) {
      expect(pages[page - 1]).toMatch(new RegExp(`^\\s*${heading}\\s*$`, 'm'));
    }
  });

  it('lists every entry of the contents page with its page number at the end of the line', () => {
    const contents = pages[0]!;
    for (const [entry, page] of [
      ['1. Synthèse', 2],
      ['a. Fraîcheur des données', 2],
      ['2. Inventaire par secteur', 3],
      ['a. Méthode', 4],
      ['3. Inventaire par commune', 5],
      ['4. Trajectoire', 6],
      ['5. Annexe — points de livraison', 7],
      ['6. Annexe — provenance des requêtes', 10],
    ] as const) {
      expect(contents).toMatch(new RegExp(`${entry}\\s+${page}\\s*$`, 'm'));
    }
  });

  it('gives the same bytes when printed again', async () => {
    const again = join(folder, 'again.pdf');
    await renderPdf(browser, html, again, {
      headerLeft: 'Agglomération de La Rochelle',
      headerRight: 'Édition 2024-T1',
      footerLeft: 'Inventaire 2023',
      documentDate: new Date('2024-04-02T08:30:00Z'),
    });
    expect((await readFile(again)).equals(await readFile(pdf))).toBe(true);
  });

  it('keeps the page slots of the HTML edition empty', () => {
    expect(html).toContain('<span class="toc-page" data-toc-page="synthese"></span>');
  });
});
