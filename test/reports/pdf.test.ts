import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type ReportBrowser, renderPdf } from '../../reports/engine/index.js';
import { dejaVuTextMeasure } from '../../reports/engine/text-metrics.js';
import { renderInventoryFixture } from './database.js';
import { asPdfText, pageCount, pagesText, pdfInfoField, renderPng, wordBoxes } from './poppler.js';

const header = {
  left: 'Agglomération de La Rochelle',
  right: 'Édition 2024-T1 · Diffusion : comité',
};
const pdfOptions = {
  headerLeft: header.left,
  headerRight: header.right,
  footerLeft: 'Inventaire 2023',
  documentDate: new Date('2024-04-02T08:30:00Z'),
};

// Where the page images go, so that a person can look at them after a run.
const imagesFolder = join(tmpdir(), 'terreze-report-pages');

describe('renderPdf', () => {
  let browser: ReportBrowser;
  let folder: string;
  let html: string;
  let pdf: string;
  let pages: string[];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'terreze-pdf-test-'));
    html = await renderInventoryFixture();
    browser = await launchBrowser();
    pdf = join(folder, 'inventaire.pdf');
    const result = await renderPdf(browser, html, pdf, pdfOptions);
    expect(result.blockedRequests).toEqual([]);
    pages = pagesText(pdf);
  });

  afterAll(async () => {
    await browser?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const pagesWith = (text: string) =>
    pages.flatMap((page, index) => (page.includes(asPdfText(text)) ? [index + 1] : []));

  it('prints A4 pages with the running header and "page x / y" on every page', () => {
    expect(pageCount(pdf)).toBe(11);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toContain(
      'Page size:       595.92 x 841.92 pts (A4)',
    );
    pages.forEach((text, index) => {
      expect(text).toContain(header.left);
      expect(text).toContain(header.right);
      expect(text).toContain(`page ${index + 1} / 11`);
      expect(text).toContain('Inventaire 2023');
    });
  });

  it('holds the figures, with every glyph in DejaVu Sans', () => {
    const text = pages.join('\n');
    for (const figure of [
      'Le territoire a émis 378\u202f270,9\u00a0tCO₂e en 2023',
      '-1,7\u00a0% depuis 2019',
      'Industrie hors branche énergie : C',
      '327 km² ; qualité de l',
      'μg/m³',
      '1\u202f200\u202f000 €',
      'Nieul-sur-Mer',
      '42\u202f588,0',
    ]) {
      expect(text).toContain(asPdfText(figure));
    }

    // No fallback font: a glyph missing from DejaVu would pull in another family.
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' })
      .split('\n')
      .slice(2)
      .filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/^[A-Z]{6}\+DejaVuSans(-Bold|Mono)?\s/);
  });

  it('prints U+202F as a narrow space, narrower than the no-break space before the unit', () => {
    const [page] = pagesWith('Le territoire a émis');
    const words = wordBoxes(pdf, page!);
    const at = words.findIndex(
      (word, index) => word.word === '378' && words[index + 1]?.word === '270,9',
    );
    const [thousands, hundreds, unit] = [words[at]!, words[at + 1]!, words[at + 2]!];
    expect(unit.word).toBe('tCO₂e');
    const narrowGap = hundreds.xMin - thousands.xMax;
    const unitGap = unit.xMin - hundreds.xMax;
    // DejaVu Sans Bold: U+202F is 0.2 em, U+00A0 0.35 em.
    expect(narrowGap / unitGap).toBeGreaterThan(0.45);
    expect(narrowGap / unitGap).toBeLessThan(0.7);
  });

  it('keeps each chart with its caption, axes and source on one page', () => {
    const [bars] = pagesWith('Figure 1 — Émissions par secteur en tCO₂e');
    expect(pages[bars! - 1]).toContain('Industrie hors branche énergie');
    expect(pages[bars! - 1]).toContain(asPdfText('160\u202f000'));
    expect(pages[bars! - 1]).toContain('Source : requête « by_sector » (ligne 61)');
    expect(pages[bars! - 1]).toContain('Données de la figure 1');

    const [trend] = pagesWith('Figure 2 — Trajectoire et objectif −30 % en 2030');
    expect(pages[trend! - 1]).toContain('Année');
    expect(pages[trend! - 1]).toContain('Objectif');
    expect(pages[trend! - 1]).toContain('Source : requête « trajectory » (ligne 133)');
  });

  it('keeps short tables whole, from caption to total', () => {
    for (const [caption, total] of [
      ['Tableau 1 — Émissions par secteur', '378\u202f270,9*'],
      ['Tableau 2 — Émissions par commune', '113\u202f485'],
    ] as const) {
      const [page] = pagesWith(caption);
      expect(pages[page! - 1]).toContain(asPdfText(total));
    }
  });

  it('repeats the header of a long table on each of its pages', () => {
    const tablePages = pages.flatMap((text, index) => (/PDL-\d{3}/.test(text) ? [index + 1] : []));
    expect(tablePages.length).toBeGreaterThanOrEqual(3);
    expect(pages[tablePages[0]! - 1]).toContain('Tableau 3 — Points de livraison suivis');
    for (const page of tablePages) {
      expect(pages[page - 1]).toMatch(/Point de livraison\s+Commune\s+Énergie \(MWh\)/);
    }
    // Rows are whole: every one of the 90 appears once, with its value on the same line.
    const rows = pages.join('\n').match(/PDL-\d{3}\s+\S.*\d+,\d/g) ?? [];
    expect(rows).toHaveLength(90);
    expect(pages[tablePages.at(-1)! - 1]).toMatch(/Total\s+42 588,0/);
  });

  it('gives the same bytes for the same document and date', async () => {
    const second = join(folder, 'again.pdf');
    await renderPdf(browser, html, second, pdfOptions);
    expect((await readFile(second)).equals(await readFile(pdf))).toBe(true);
    expect(pdfInfoField(pdf, 'CreationDate')).toBe('2024-04-02T08:30:00Z');
    expect(pdfInfoField(pdf, 'Title')).toBe(
      'Inventaire des émissions — Agglomération de La Rochelle',
    );
  });

  it('gives the same text and pages without a fixed date', async () => {
    const undated = join(folder, 'undated.pdf');
    await renderPdf(browser, html, undated, { ...pdfOptions, documentDate: undefined });
    expect(pagesText(undated)).toEqual(pages);
  });

  it('lets no request leave the page', async () => {
    const probe =
      '<!doctype html><html><body><p>Sonde</p><img src="http://127.0.0.1:9/pixel.png"></body></html>';
    const result = await renderPdf(browser, probe, join(folder, 'probe.pdf'), pdfOptions);
    expect(result.blockedRequests).toEqual(['http://127.0.0.1:9/pixel.png']);
    expect(pagesText(result.outputPath)[0]).toContain('Sonde');
  });

  it('measures chart labels as Chromium lays out DejaVu Sans', async () => {
    const measure = dejaVuTextMeasure();
    expect(measure).toBeDefined();
    const page = await browser.browser.newPage();
    try {
      for (const [text, fontWeight] of [
        ['Industrie hors branche énergie', 'normal'],
        ['378 270,9 tCO₂e', 'bold'],
        ['Trajectoire et objectif', 'normal'],
      ] as const) {
        const chromium = await page.evaluate(
          (label, weight) => {
            const context = document.createElement('canvas').getContext('2d')!;
            context.font = `${weight} 11px "DejaVu Sans"`;
            return context.measureText(label).width;
          },
          text,
          fontWeight,
        );
        const ours = measure!({ fontSize: 11, fontWeight }, text);
        // Kerning is the only difference: within 2 % of Chromium's width.
        expect(Math.abs(ours - chromium) / chromium).toBeLessThan(0.02);
      }
    } finally {
      await page.close();
    }
  });

  it('renders every page to an image for a visual check', async () => {
    await rm(imagesFolder, { recursive: true, force: true });
    await mkdir(imagesFolder, { recursive: true });
    renderPng(pdf, join(imagesFolder, 'inventaire'));
    const images = (await readdir(imagesFolder)).filter((name) => name.endsWith('.png'));
    expect(images).toHaveLength(11);
  });
});
