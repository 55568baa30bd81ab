import { readFileSync } from 'node:fs';
import { Marked, type Tokens } from 'marked';
import { ReportError } from '../../lib/errors.js';
import { escapeHtml, htmlToText } from './markup.js';
import type { Audience } from './types.js';

/**
 * The HTML edition: one self-contained file (inline CSS and SVG, no script, no request of any
 * kind) that reads on a phone and prints to A4 through the same stylesheet.
 */

export interface Heading {
  depth: number;
  id: string;
  html: string;
}

// TODO(reports): the labels the engine writes itself (banner, captions, annex) are French only.
const audienceLabels: Record<Audience, string> = {
  public: 'Diffusion publique',
  committee: 'Diffusion : comité de pilotage',
  restricted: 'Diffusion restreinte — ne pas transmettre',
};

/** The label of an audience, as the banner and running headers show it. */
export function audienceLabel(audience: Audience): string {
  return audienceLabels[audience];
}

function slug(text: string): string {
  const base = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return base === '' ? 'section' : base;
}

/** Renders Markdown, giving every heading a stable anchor and listing the headings. */
export function markdownToHtml(markdown: string): { html: string; headings: Heading[] } {
  const headings: Heading[] = [];
  const used = new Map<string, number>();
  const marked = new Marked({ gfm: true, async: false });

  marked.use({
    renderer: {
      heading(
        this: { parser: { parseInline(tokens: Tokens.Generic[]): string } },
        token: Tokens.Heading,
      ) {
        const html = this.parser.parseInline(token.tokens);
        const base = slug(htmlToText(html));
        const seen = used.get(base) ?? 0;
        used.set(base, seen + 1);
        const id = seen === 0 ? base : `${base}-${seen + 1}`;
        headings.push({ depth: token.depth, id, html });
        return `<h${token.depth} id="${id}">${html}</h${token.depth}>\n`;
      },
    },
  });

  const html = marked.parse(markdown) as string;
  return { html, headings };
}

/**
 * A table of contents of the `#` and `##` headings. Each entry holds an empty page slot that
 * the PDF renderer fills with the page the heading lands on; on screen it stays hidden.
 */
export function tableOfContents(headings: readonly Heading[]): string {
  const items: string[] = [];
  let openSection = false;
  for (const heading of headings.filter((entry) => entry.depth <= 2)) {
    const entry = `<span class="toc-entry"><a href="#${heading.id}">${heading.html}</a><span class="toc-page" data-toc-page="${heading.id}"></span></span>`;
    if (heading.depth === 1) {
      if (openSection) items.push('</ol></li>');
      items.push(`<li>${entry}<ol>`);
      openSection = true;
    } else {
      items.push(`<li>${entry}</li>`);
    }
  }
  if (openSection) items.push('</ol></li>');
  const list = items.join('\n').replace(/<ol><\/ol>/g, '');
  return `<nav class="toc" aria-label="Sommaire">\n<p class="toc-title">Sommaire</p>\n<ol>\n${list}\n</ol>\n</nav>`;
}

const tocPageSlot = /<span class="toc-page" data-toc-page="([^"]+)">[^<]*<\/span>/g;

/** The heading ids whose page the table of contents of `html` asks for, in order. */
export function tocPageSlots(html: string): string[] {
  return [...html.matchAll(tocPageSlot)].map((match) => match[1]!);
}

/** Writes the page of each heading into its slot; a heading without a page keeps it empty. */
export function fillTocPages(html: string, pages: ReadonlyMap<string, number>): string {
  return html.replace(tocPageSlot, (_slot, id: string) => {
    const page = pages.get(id);
    return `<span class="toc-page" data-toc-page="${id}">${page === undefined ? '' : page}</span>`;
  });
}

export interface DocumentParts {
  title: string;
  audience: Audience;
  /** Lines under the title, such as the parameters of the edition; already HTML. */
  subtitle: string;
  /** What the title page holds under the title; its own page in print. Already HTML. */
  cover?: string;
  toc: string;
  body: string;
  annex: string;
  stylesheet?: string;
}

const stylesheetUrl = new URL('../assets/report.css', import.meta.url);

/** Reads the report stylesheet that every document inlines. */
export function readStylesheet(): string {
  return readFileSync(stylesheetUrl, 'utf8');
}

// Nothing may load: inline styles and data: images only, no script at all.
const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'";

/** Assembles the full document. */
export function renderDocument(parts: DocumentParts): string {
  const stylesheet = parts.stylesheet ?? readStylesheet();
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<title>${escapeHtml(parts.title)}</title>
<style>
${stylesheet}
</style>
</head>
<body class="audience-${parts.audience}">
<header class="report-header${parts.cover === undefined ? '' : ' cover'}">
<p class="audience-banner" role="note">${escapeHtml(audienceLabel(parts.audience))}</p>
<h1 class="report-title">${escapeHtml(parts.title)}</h1>
${parts.subtitle}
${parts.cover === undefined ? '' : `<div class="cover-body">\n${parts.cover}\n</div>`}
</header>
${parts.toc}
<main>
${parts.body}
</main>
${parts.annex}
</body>
</html>
`;
}

// Elements and attributes through which a document would fetch something.
const fetchingElements =
  /^<(?:script|iframe|object|embed|frame|base|form|audio|video|source|track|link)\b/i;
const fetchingAttributes =
  /\s(?:src|srcset|poster|data|action|formaction|background|ping|xlink:href)\s*=\s*["']?\s*(?!data:|#)[^\s"'>]/i;
const fetchingHref = /^<(?:image|use|feImage)\b[^>]*\shref\s*=\s*["']?\s*(?!data:|#)/i;
const fetchingCss = /url\(\s*["']?\s*(?!data:|#)[^)\s]|@import\b/i;

/**
 * Refuses a document that would load anything. Data values are escaped, so only tags written
 * by the report's author (raw HTML in Markdown) or a chart can carry such a reference.
 */
export function assertSelfContained(file: string, html: string): void {
  const problems: string[] = [];
  for (const [tag] of html.matchAll(/<[A-Za-z][^>]*>/g)) {
    const styleAttribute = /\sstyle\s*=\s*("[^"]*"|'[^']*')/i.exec(tag)?.[1] ?? '';
    const fetches =
      fetchingElements.test(tag) ||
      fetchingAttributes.test(tag) ||
      fetchingHref.test(tag) ||
      fetchingCss.test(styleAttribute);
    if (fetches) problems.push(tag.slice(0, 80));
  }
  for (const [, css] of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) {
    const match = fetchingCss.exec(css ?? '');
    if (match !== null) problems.push(css!.slice(match.index, match.index + 80));
  }

  if (problems.length > 0) {
    throw new ReportError(
      file,
      `the report would load external resources, which a self-contained edition may not: ${problems.join(' | ')}`,
    );
  }
}
