import { execFileSync } from 'node:child_process';
import type { Browser } from 'puppeteer-core';

/**
 * What renderPdf adds to a bare print, one option at a time, to tell where its time goes.
 * Every print has the same paper and margins, so that all lay out the same pages.
 */
export type PrintExtra = 'none' | 'headerFooter' | 'outlineTagged' | 'interception' | 'all';

export const singleCandidates = [
  'terreze',
  'terrezePdfOnly',
  'bare',
  'bareHeaderFooter',
  'bareOutlineTagged',
  'bareInterception',
  'bareAllOptions',
] as const;

export const printExtras: Record<string, PrintExtra> = {
  bare: 'none',
  bareHeaderFooter: 'headerFooter',
  bareOutlineTagged: 'outlineTagged',
  bareInterception: 'interception',
  bareAllOptions: 'all',
};

export async function barePrint(
  browser: Browser,
  html: string,
  path: string,
  extra: PrintExtra = 'none',
) {
  const page = await browser.newPage();
  const has = (option: PrintExtra) => extra === option || extra === 'all';
  try {
    if (has('interception')) {
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', (request) => void request.continue());
    }
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({
      path,
      format: 'A4',
      printBackground: true,
      margin: { top: '22mm', bottom: '18mm', left: '20mm', right: '20mm' },
      ...(has('headerFooter')
        ? {
            displayHeaderFooter: true,
            headerTemplate: '<div style="font-size: 7pt; width: 100%">Banc d’essai</div>',
            footerTemplate:
              '<div style="font-size: 7pt; width: 100%"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
          }
        : {}),
      ...(has('outlineTagged') ? { outline: true, tagged: true } : {}),
    });
  } finally {
    await page.close();
  }
}

export function pageCount(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}
