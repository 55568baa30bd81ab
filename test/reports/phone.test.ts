import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type ReportBrowser } from '../../reports/engine/index.js';
import type { RenderedReport } from '../../workflows/types.js';
import { createEditionHome, type EditionHome } from './edition-fixture.js';

// Where the screenshots go, so that a person can look at them after a run.
const screenshots = join(tmpdir(), 'terreze-report-phone');

/** A phone in portrait: 390 × 844 CSS pixels at 3 device pixels per pixel. */
const phone = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

describe('the HTML edition on a phone', () => {
  let home: EditionHome;
  let browser: ReportBrowser;
  let report: RenderedReport;

  beforeAll(async () => {
    home = await createEditionHome([
      {
        id: 'committee',
        template: 'builtin:committee',
        title: 'Comité',
        audiences: ['committee'],
        formats: ['html'],
        retrievalMaxAgeDays: 90,
      },
    ]);
    const summary = await home.compute();
    [report] = (await home.render(summary, ['committee'])) as [RenderedReport];
    browser = await launchBrowser();
    await mkdir(screenshots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await home?.remove();
  });

  it('fits the width of the screen, with wide tables scrolling in their own box', async () => {
    const page = await browser.browser.newPage();
    try {
      await page.setViewport(phone);
      await page.goto(`file://${report.html}`, { waitUntil: 'load' });
      await page.screenshot({ path: join(screenshots, 'committee-phone.png'), fullPage: false });
      await page.screenshot({
        path: join(screenshots, 'committee-phone-full.png'),
        fullPage: true,
      });

      const layout = await page.evaluate(() => ({
        viewport: window.innerWidth,
        document: document.documentElement.scrollWidth,
        rootFontPx: Number.parseFloat(getComputedStyle(document.documentElement).fontSize),
        charts: Array.from(document.querySelectorAll('.chart-canvas svg')).map(
          (svg) => svg.getBoundingClientRect().right,
        ),
        // Any element wider than the screen must sit inside a scrolling table box.
        overflowing: Array.from(document.querySelectorAll('main *'))
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
          .filter((element) => element.closest('.table-scroll') === null)
          .map((element) => element.tagName),
      }));
      expect(layout.viewport).toBe(390);
      expect(layout.document).toBe(390);
      expect(layout.overflowing).toEqual([]);
      // The stylesheet's phone size (15 px) keeps the text readable without zooming.
      expect(layout.rootFontPx).toBe(15);
      expect(layout.charts.length).toBeGreaterThan(0);
      for (const right of layout.charts) expect(right).toBeLessThanOrEqual(390);
    } finally {
      await page.close();
    }
  });

  it('gives every chart a text alternative and its data as a table', async () => {
    const page = await browser.browser.newPage();
    try {
      await page.setViewport(phone);
      await page.goto(`file://${report.html}`, { waitUntil: 'load' });
      const figures = await page.evaluate(() =>
        Array.from(document.querySelectorAll('figure.chart')).map((figure) => ({
          label: figure.querySelector('svg')?.getAttribute('aria-label') ?? '',
          role: figure.querySelector('svg')?.getAttribute('role'),
          summary: figure.querySelector('.chart-summary')?.textContent ?? '',
          dataRows: figure.querySelectorAll('details.chart-data tbody tr').length,
        })),
      );
      expect(figures.length).toBeGreaterThanOrEqual(3);
      for (const figure of figures) {
        expect(figure.role).toBe('img');
        expect(figure.label.length).toBeGreaterThan(20);
        expect(figure.summary).toBe(figure.label);
        expect(figure.dataRows).toBeGreaterThan(0);
      }
    } finally {
      await page.close();
    }
  });
});
