import { randomBytes } from 'node:crypto';
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { errorMessage } from '../lib/errors.js';
import { launchBrowser, type ReportBrowser, renderPdf } from './engine/index.js';
import { escapeHtml } from './engine/markup.js';
import {
  pdfOptionsFor,
  type ReportEditionRequest,
  renderReportNotebook,
  reportTemplatePath,
} from './report-notebook.js';

/**
 * The authoring loop: a report served on 127.0.0.1 from an inventory edition, rendered again
 * when its Markdown or one of its partials is saved, and reloaded in the browser through a
 * small script that only the preview page carries. Rendered editions stay script-free.
 */

export interface PreviewOptions {
  request: Omit<ReportEditionRequest, 'browser' | 'outputDir'>;
  /** 0 (the default) takes a free port. */
  port?: number;
  /** Waits this long after the last change before rendering, as editors save in bursts. */
  settleMs?: number;
}

export interface ReportPreview {
  url: string;
  /** How many renders ran, successful or not; for the author's console and tests. */
  readonly renders: number;
  /** Resolves after the render that follows the next change of a watched file. */
  nextRender(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the preview server of `options.request`'s report. */
export async function startReportPreview(options: PreviewOptions): Promise<ReportPreview> {
  const { request } = options;
  const file = reportTemplatePath(request.report.template, request.loaded.directory);
  const nonce = randomBytes(16).toString('base64');
  const listeners = new Set<ServerResponse>();
  const waiting: (() => void)[] = [];
  let page = '';
  let renders = 0;
  let browser: ReportBrowser | undefined;

  const render = async () => {
    try {
      const { notebook } = await renderReportNotebook({ ...request, browser: undefined });
      page = withReloadScript(notebook.html, nonce);
    } catch (error) {
      request.logger.warn('report preview failed', { file, error: errorMessage(error) });
      page = errorPage(errorMessage(error), nonce);
    }
    renders += 1;
    for (const response of listeners) response.write('data: reload\n\n');
    for (const resolve of waiting.splice(0)) resolve();
  };
  await render();

  const server = createServer((incoming, response) => {
    void serve(incoming, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(errorMessage(error));
    });
  });
  const serve = async (incoming: IncomingMessage, response: ServerResponse) => {
    const path = new URL(incoming.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/events') {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      listeners.add(response);
      incoming.on('close', () => listeners.delete(response));
      return;
    }
    if (path === '/report.pdf') {
      browser ??= await launchBrowser({ logger: request.logger });
      const folder = await mkdtemp(join(tmpdir(), 'terreze-preview-'));
      try {
        const { notebook } = await renderReportNotebook({ ...request, browser });
        const pdf = join(folder, 'report.pdf');
        await renderPdf(
          browser,
          notebook.html,
          pdf,
          pdfOptionsFor({ ...request, browser }, notebook),
        );
        response.writeHead(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store' });
        response.end(await readFile(pdf));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      return;
    }
    if (path !== '/') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('not found; the report is at /');
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.end(page);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });

  // One render at a time, in the order of the saves.
  let rendering = Promise.resolve();
  const watchers = watchSources(file, options.settleMs ?? 150, () => {
    rendering = rendering.then(render);
  });
  const { port } = server.address() as AddressInfo;
  request.logger.info('report preview serving', { file, url: `http://127.0.0.1:${port}/` });

  return {
    url: `http://127.0.0.1:${port}/`,
    get renders() {
      return renders;
    },
    nextRender: () => new Promise((resolve) => waiting.push(resolve)),
    async close() {
      for (const watcher of watchers) watcher.close();
      for (const response of listeners) response.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await browser?.close();
    },
  };
}

/** Watches the report and its partials folder; `changed` runs once a burst of saves settles. */
function watchSources(file: string, settleMs: number, changed: () => void): FSWatcher[] {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(changed, settleMs);
  };
  // Editors often save by writing a new file and renaming it over the old one, which a watch
  // on the file itself would lose; the folder's watch sees both kinds of save.
  const watchers = [watch(dirname(file), (_event, name) => name === basename(file) && schedule())];
  const partials = join(dirname(file), 'partials');
  if (existsSync(partials)) watchers.push(watch(partials, () => schedule()));
  return watchers;
}

function basename(file: string): string {
  return file.slice(dirname(file).length + 1);
}

/** The CSP of the document, opened to this one script and to the event stream it listens to. */
function withReloadScript(html: string, nonce: string): string {
  const script = `<script nonce="${nonce}">new EventSource('/events').onmessage = () => location.reload();</script>`;
  return html
    .replace(
      /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/,
      (_meta, policy: string) =>
        `<meta http-equiv="Content-Security-Policy" content="${policy}; script-src 'nonce-${nonce}'; connect-src 'self'">`,
    )
    .replace('</body>', `${script}\n</body>`);
}

function errorPage(message: string, nonce: string): string {
  return withReloadScript(
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Erreur de rendu</title></head><body><h1>Le rapport ne se rend pas</h1><pre style="white-space: pre-wrap">${escapeHtml(message)}</pre><p>La page se recharge à la prochaine sauvegarde.</p></body></html>`,
    nonce,
  );
}
