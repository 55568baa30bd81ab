import { mkdir, rename, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReportPreview, startReportPreview } from '../../reports/preview.js';
import { createEditionHome, type EditionHome, editionOf } from './edition-fixture.js';

const report = (text: string) =>
  `---\ntitle: Aperçu\naudience: committee\nparameters:\n  year: { type: integer, required: true }\n---\n` +
  '```sql total\nselect total_tco2e from inventory_summary\n```\n\n' +
  `# Synthèse\n\n${text} **{{tco2e total.0.total_tco2e}}**.\n\n{{> note}}\n`;

/** GETs `url` and returns its status and body. */
function fetchText(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          type: String(response.headers['content-type']),
          body,
        }),
      );
    }).on('error', reject);
  });
}

/** Opens the preview's event stream and resolves with the first event's data. */
function nextEvent(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(`${url}events`, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const data = /^data: (.*)$/m.exec(chunk);
        if (data !== null) {
          resolve(data[1]!);
          request.destroy();
        }
      });
    });
    request.on('error', reject);
  });
}

describe('report preview', () => {
  let home: EditionHome;
  let preview: ReportPreview;
  let file: string;

  beforeAll(async () => {
    home = await createEditionHome([
      {
        id: 'apercu',
        template: 'apercu.md',
        title: 'Aperçu',
        audience: 'committee',
        formats: ['html'],
        retrievalMaxAgeDays: 90,
      },
    ]);
    const summary = await home.compute();
    file = join(home.homeDir, 'apercu.md');
    await writeFile(file, report('Total :'));
    await mkdir(join(home.homeDir, 'partials'));
    await writeFile(join(home.homeDir, 'partials', 'note.md'), 'Note de bas de page.\n');
    preview = await startReportPreview({
      settleMs: 50,
      request: {
        loaded: home.dependencies.loaded,
        report: home.project.reports[0]!,
        audience: 'committee',
        edition: await editionOf(summary),
        databaseFile: summary.databaseFile,
        editionsDir: home.editionsDir,
        logger: home.dependencies.logger,
      },
    });
  }, 120_000);

  afterAll(async () => {
    await preview?.close();
    await home?.remove();
  });

  it('serves the rendered report on 127.0.0.1 with a reload script of its own', async () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetchText(preview.url);
    expect(page.status).toBe(200);
    // 63.2 + 2.175 t of the fixture (edition-fixture.ts).
    expect(page.body).toContain('Total : <strong>65,4\u00a0tCO₂e</strong>.');
    expect(page.body).toContain('Note de bas de page.');
    expect(page.body).toMatch(/<script nonce="[^"]+">new EventSource\('\/events'\)/);
    expect(page.body).toMatch(/script-src 'nonce-[^']+'; connect-src 'self'">/);
  });

  it('renders again and tells the page to reload when the Markdown is saved', async () => {
    const event = nextEvent(preview.url);
    const rendered = preview.nextRender();
    // Saved as many editors do: a new file renamed over the old one.
    await writeFile(`${file}.tmp`, report('Total révisé :'));
    await rename(`${file}.tmp`, file);
    await rendered;
    expect(await event).toBe('reload');
    expect((await fetchText(preview.url)).body).toContain('Total révisé : <strong>65,4');
  });

  it('renders again when a partial is saved', async () => {
    const rendered = preview.nextRender();
    await writeFile(join(home.homeDir, 'partials', 'note.md'), 'Note revue.\n');
    await rendered;
    expect((await fetchText(preview.url)).body).toContain('Note revue.');
  });

  it('shows the error with its file and line while the report does not render', async () => {
    const rendered = preview.nextRender();
    await writeFile(file, report('Total : {{number total.0.nope}}'));
    await rendered;
    const page = await fetchText(preview.url);
    expect(page.body).toContain('Le rapport ne se rend pas');
    // Line 13: six lines of front matter, the three of the cell, a blank, the heading, a blank.
    expect(page.body).toContain(`${file}:13 number: &quot;total.0.nope&quot; is not defined`);
  });

  it('prints the PDF on demand', async () => {
    await writeFile(file, report('Total :'));
    await preview.nextRender();
    const pdf = await fetchText(`${preview.url}report.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.body.startsWith('%PDF-')).toBe(true);
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetchText(`${preview.url}elsewhere`)).status).toBe(404);
  });
});
