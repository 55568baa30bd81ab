import { execFileSync } from 'node:child_process';

/** Reading PDFs back with poppler-utils, as a reader's viewer would show them. */

/** Number of pages, from `pdfinfo`. */
export function pageCount(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)$/m.exec(info)![1]);
}

/** One `pdfinfo` field, such as `CreationDate` or `Title`. */
export function pdfInfoField(file: string, field: string): string | undefined {
  const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
  return new RegExp(`^${field}:\\s+(.*)$`, 'm').exec(info)?.[1];
}

/**
 * The text of page `page` (1-based), in reading order. pdftotext gives the narrow no-break
 * space U+202F and the no-break space U+00A0 back as plain spaces.
 */
export function pageText(file: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-'], {
    encoding: 'utf8',
  });
}

/** The text of every page. */
export function pagesText(file: string): string[] {
  return Array.from({ length: pageCount(file) }, (_, index) => pageText(file, index + 1));
}

/** Writes an expected figure the way pdftotext reads it back. */
export function asPdfText(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

export interface WordBox {
  word: string;
  xMin: number;
  xMax: number;
  yMin: number;
}

/** The words of page `page` with their boxes in points, from `pdftotext -bbox`. */
export function wordBoxes(file: string, page: number): WordBox[] {
  const xhtml = execFileSync(
    'pdftotext',
    ['-f', String(page), '-l', String(page), '-bbox', file, '-'],
    {
      encoding: 'utf8',
    },
  );
  const pattern =
    /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g;
  return [...xhtml.matchAll(pattern)].map((match) => ({
    xMin: Number(match[1]),
    yMin: Number(match[2]),
    xMax: Number(match[3]),
    word: match[4]!.replace(/&amp;/g, '&'),
  }));
}

/** Renders pages to PNG images with `pdftoppm`; returns nothing, the files are `${prefix}-N.png`. */
export function renderPng(file: string, prefix: string, resolutionDpi = 60): void {
  execFileSync('pdftoppm', ['-r', String(resolutionDpi), '-png', file, prefix]);
}
