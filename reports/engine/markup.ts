/** Escaping for the two languages values pass through: HTML, and Markdown before it. */

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEntities[character]!);
}

/**
 * Escapes a data value placed in the narrative, which Markdown reads next: characters that
 * Markdown would take as emphasis, links, code or tables become numeric entities, so a commune
 * called `Saint_Martin` or a label with `*` shows as written.
 */
export function escapeNarrativeText(text: string): string {
  // One pass, so that the `#` of an entity written for `'` is not itself escaped again.
  return text.replace(
    /[&<>"'\\`*_[\]|~#!]/g,
    (character) => htmlEntities[character] ?? `&#${character.codePointAt(0)};`,
  );
}

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Turns rendered inline HTML back into text: tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
      if (entity.startsWith('#x') || entity.startsWith('#X')) {
        return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
      }
      if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
      return namedEntities[entity.toLowerCase()] ?? match;
    });
}
