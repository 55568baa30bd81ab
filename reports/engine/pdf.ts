import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import puppeteer, { type Browser, type HTTPRequest } from 'puppeteer-core';
import { errorMessage, ReportError, TerrezeError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { fillTocPages, tocPageSlots } from './html.js';
import { escapeHtml } from './markup.js';
import { readPdfLayout } from './pdf-destinations.js';

/**
 * The PDF edition: the HTML document printed by a headless Chromium on A4, with a running
 * header and a "page x / y" footer on every page. One browser serves many reports; nothing the
 * page asks for leaves the machine.
 */

const knownChromiumPaths = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** Chromium's flags for printing: no sandbox in containers, nothing reaching out. */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Finds Chromium: `TERREZE_CHROMIUM` first, then the usual system paths. */
export function resolveChromium(environment: NodeJS.ProcessEnv = process.env): string {
  const configured = environment.TERREZE_CHROMIUM;
  if (configured !== undefined && configured !== '') {
    if (!existsSync(configured)) {
      throw new TerrezeError(`TERREZE_CHROMIUM names ${configured}, which does not exist`, {
        executablePath: configured,
      });
    }
    return configured;
  }
  const found = knownChromiumPaths.find((path) => existsSync(path));
  if (found === undefined) {
    throw new TerrezeError(
      `no Chromium found (looked at ${knownChromiumPaths.join(', ')}); install it or set TERREZE_CHROMIUM`,
      { searched: knownChromiumPaths },
    );
  }
  return found;
}

export interface LaunchBrowserOptions {
  /** Overrides the resolution of `resolveChromium`. */
  executablePath?: string;
  environment?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/** A headless Chromium launched once and shared by the PDFs of a run; close it at the end. */
export interface ReportBrowser {
  readonly executablePath: string;
  readonly browser: Browser;
  readonly logger: Logger | undefined;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile folder under the system temporary directory. */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<ReportBrowser> {
  const executablePath = options.executablePath ?? resolveChromium(options.environment);
  const profile = await mkdtemp(join(tmpdir(), 'terreze-chromium-'));

  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      // Over a pipe rather than a WebSocket: Chromium reads the pipe's end when this process
      // dies, however it dies (SIGKILL included), and exits with its renderers instead of
      // living on as an orphan.
      pipe: true,
      args: [...chromiumFlags, `--user-data-dir=${profile}`],
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new TerrezeError(
      `cannot start Chromium at ${executablePath}: ${errorMessage(error)}`,
      { executablePath },
      { cause: error },
    );
  }

  options.logger?.info('chromium started', { executablePath, pid: browser.process()?.pid });
  return {
    executablePath,
    browser,
    logger: options.logger,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface PdfOptions {
  /** Left of the running header, e.g. the territory. */
  headerLeft: string;
  /** Right of the running header, e.g. the edition and the audience. */
  headerRight: string;
  /** Left of the footer; the right holds "page x / y". */
  footerLeft: string;
  /**
   * Written as the PDF's creation and modification dates instead of the time of printing, so
   * that the same inputs give the same bytes.
   */
  documentDate?: Date;
}

export interface RenderedPdf {
  outputPath: string;
  bytes: number;
  pageCount: number;
  /** The page each heading of the table of contents landed on, by heading id. */
  headingPages: Record<string, number>;
  /** How many times the document was printed: twice when page numbers were written in. */
  passes: number;
  /** Requests the page made and that were refused; a self-contained document makes none. */
  blockedRequests: string[];
}

const runningTextStyle =
  'font-family: DejaVu Sans, sans-serif; font-size: 7.5pt; color: #5b5b60; width: 100%; ' +
  'margin: 0 20mm; display: flex; justify-content: space-between; gap: 8mm;';

function headerTemplate(options: PdfOptions): string {
  return `<div style="${runningTextStyle} border-bottom: 0.5pt solid #d4d4d8; padding-bottom: 1.5mm;"><span>${escapeHtml(options.headerLeft)}</span><span>${escapeHtml(options.headerRight)}</span></div>`;
}

function footerTemplate(options: PdfOptions): string {
  return `<div style="${runningTextStyle}"><span>${escapeHtml(options.footerLeft)}</span><span>page <span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
}

const maximumPasses = 4;

/**
 * Prints `html` to an A4 PDF at `outputPath` with `browser`. When the document has a table of
 * contents, it is printed again with the page of each heading written in.
 */
export async function renderPdf(
  browser: ReportBrowser,
  html: string,
  outputPath: string,
  options: PdfOptions,
): Promise<RenderedPdf> {
  const blockedRequests: string[] = [];
  const page = await browser.browser.newPage();
  try {
    // The document needs no script; its requests, if any, go nowhere.
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      const url = request.url();
      if (url.startsWith('data:') || url.startsWith('about:')) {
        void request.continue();
        return;
      }
      blockedRequests.push(url);
      browser.logger?.warn('report page request blocked', { url, outputPath });
      void request.abort('blockedbyclient');
    });

    const print = async (document: string) => {
      await page.setContent(document, { waitUntil: 'load', timeout: 60_000 });
      const printed = await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: false,
        displayHeaderFooter: true,
        headerTemplate: headerTemplate(options),
        footerTemplate: footerTemplate(options),
        margin: { top: '22mm', bottom: '18mm', left: '20mm', right: '20mm' },
        outline: true,
        tagged: true,
        timeout: 120_000,
      });
      return { pdf: printed, layout: readPdfLayout(printed) };
    };

    // The table of contents reserves room for its page numbers, so writing them in moves
    // nothing; a second print checks that, and a third settles a document where it did.
    const slots = tocPageSlots(html);
    let printed = await print(html);
    let passes = 1;
    let settled = slots.length === 0;
    while (!settled && passes < maximumPasses) {
      const next = await print(fillTocPages(html, printed.layout.destinations));
      passes += 1;
      settled = slots.every(
        (id) => next.layout.destinations.get(id) === printed.layout.destinations.get(id),
      );
      printed = next;
    }
    if (!settled) {
      browser.logger?.warn('table of contents pages did not settle', { outputPath, passes });
    }
    const pdf = printed.pdf;
    const headingPages = Object.fromEntries(
      slots.flatMap((id) => {
        const pageNumber = printed.layout.destinations.get(id);
        return pageNumber === undefined ? [] : [[id, pageNumber]];
      }),
    );

    browser.logger?.debug('pdf printed', {
      outputPath,
      pid: browser.browser.process()?.pid,
      pages: printed.layout.pageCount,
      passes,
    });
    const bytes = options.documentDate ? setDocumentDates(pdf, options.documentDate) : pdf;
    await mkdir(dirname(outputPath), { recursive: true });
    const partial = `${outputPath}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, outputPath);
    return {
      outputPath,
      bytes: bytes.length,
      pageCount: printed.layout.pageCount,
      headingPages,
      passes,
      blockedRequests,
    };
  } catch (error) {
    throw new ReportError(outputPath, `PDF rendering failed: ${errorMessage(error)}`, undefined, {
      cause: error,
    });
  } finally {
    await page.close();
  }
}

/**
 * Replaces the dates Chromium writes in the document information dictionary. The new text has
 * the same length, so the cross-reference offsets stay valid.
 */
export function setDocumentDates(pdf: Uint8Array, date: Date): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const stamp = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const replaced = text.replace(
    /\/(CreationDate|ModDate) \(D:\d{14}(?:[+-]\d{2}'\d{2}'|Z\d{2}'\d{2}'|Z)\)/g,
    (match, key: string) => {
      const value = `/${key} (D:${stamp}+00'00')`;
      // A date form of another length would shift every offset after it: leave it as it is.
      return value.length === match.length ? value : match;
    },
  );
  return Buffer.from(replaced, 'latin1');
}
