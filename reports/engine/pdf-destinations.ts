import {
  isDictionary,
  isName,
  isRef,
  type PdfDictionary,
  PdfParser,
  PdfStructureError,
  type PdfValue,
} from './pdf-syntax.js';

/**
 * Reads the named destinations of a PDF Chromium printed: for each element id that an internal
 * link points at, the page it landed on. Chromium writes the document catalog, the page tree
 * and the destinations as plain (uncompressed) objects, which is all this reader understands;
 * anything else is reported rather than guessed.
 */

/** How many pages a PDF has, and the page (1-based) of each of its named destinations. */
export interface PdfLayout {
  pageCount: number;
  destinations: Map<string, number>;
}

/** Reads the page count and the named destinations of `pdf`. */
export function readPdfLayout(pdf: Uint8Array): PdfLayout {
  const text = Buffer.from(pdf).toString('latin1');
  const objects = new PdfObjects(text);

  const catalog = objects.catalog();
  const pageNumbers = new Map<number, number>();
  const root = catalog.dictionary.get('Pages');
  if (!isRef(root)) throw new PdfStructureError('the catalog has no page tree');
  collectPages(objects, root.ref, pageNumbers, new Set());

  const destinations = new Map<string, number>();
  const record = (name: string, value: PdfValue) => {
    const target = destinationArray(objects, value);
    const page = target?.[0];
    if (isRef(page) && pageNumbers.has(page.ref))
      destinations.set(name, pageNumbers.get(page.ref)!);
  };

  const dests = objects.resolve(catalog.dictionary.get('Dests'));
  if (isDictionary(dests)) for (const [name, value] of dests.dictionary) record(name, value);

  const names = objects.resolve(catalog.dictionary.get('Names'));
  const tree = isDictionary(names) ? objects.resolve(names.dictionary.get('Dests')) : undefined;
  if (isDictionary(tree)) collectNameTree(objects, tree, record, new Set());

  return { pageCount: pageNumbers.size, destinations };
}

function collectPages(
  objects: PdfObjects,
  reference: number,
  pageNumbers: Map<number, number>,
  seen: Set<number>,
): void {
  if (seen.has(reference)) throw new PdfStructureError(`page tree loops at object ${reference}`);
  seen.add(reference);
  const node = objects.resolve({ ref: reference });
  if (!isDictionary(node)) throw new PdfStructureError(`page tree node ${reference} is missing`);
  const type = node.dictionary.get('Type');
  if (isName(type) && type.name === 'Page') {
    pageNumbers.set(reference, pageNumbers.size + 1);
    return;
  }
  const kids = objects.resolve(node.dictionary.get('Kids'));
  if (!Array.isArray(kids)) throw new PdfStructureError(`page tree node ${reference} has no kids`);
  for (const kid of kids) {
    if (!isRef(kid)) throw new PdfStructureError(`page tree node ${reference} has a bad kid`);
    collectPages(objects, kid.ref, pageNumbers, seen);
  }
}

function collectNameTree(
  objects: PdfObjects,
  node: PdfDictionary,
  record: (name: string, value: PdfValue) => void,
  seen: Set<PdfDictionary>,
): void {
  if (seen.has(node)) return;
  seen.add(node);
  const pairs = objects.resolve(node.dictionary.get('Names'));
  if (Array.isArray(pairs)) {
    for (let index = 0; index + 1 < pairs.length; index += 2) {
      const key = pairs[index];
      if (typeof key === 'string') record(key, pairs[index + 1]!);
    }
  }
  const kids = objects.resolve(node.dictionary.get('Kids'));
  for (const kid of Array.isArray(kids) ? kids : []) {
    const child = objects.resolve(kid);
    if (isDictionary(child)) collectNameTree(objects, child, record, seen);
  }
}

/** `[page /XYZ …]` directly, through a reference, or as `<< /D [page …] >>`. */
function destinationArray(objects: PdfObjects, value: PdfValue): PdfValue[] | undefined {
  const resolved = objects.resolve(value);
  if (Array.isArray(resolved)) return resolved;
  if (isDictionary(resolved))
    return destinationArray(objects, resolved.dictionary.get('D') ?? null);
  return undefined;
}

/** Indirect objects found by their `N G obj` header, parsed when first asked for. */
class PdfObjects {
  private readonly offsets = new Map<number, number>();
  private readonly parsed = new Map<number, PdfValue>();

  constructor(private readonly text: string) {
    if (!this.readCrossReferences()) {
      for (const match of text.matchAll(/(?:^|[\r\n\s])(\d+) (\d+) obj\b/g)) {
        // A later definition of the same object number updates an earlier one.
        this.offsets.set(Number(match[1]), match.index + match[0].length);
      }
    }
  }

  /** Reads the classic cross-reference table the last `startxref` points at. */
  private readCrossReferences(): boolean {
    const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(this.text.slice(-64));
    if (start === null) return false;
    const table = Number(start[1]);
    if (!this.text.startsWith('xref', table)) return false;

    const sections = /(\d+) (\d+)[ \t]*\r?\n/y;
    let position = table + 'xref'.length;
    while (/\s/.test(this.text[position] ?? '')) position += 1;
    for (;;) {
      sections.lastIndex = position;
      const section = sections.exec(this.text);
      if (section === null) break;
      const first = Number(section[1]);
      const count = Number(section[2]);
      position = sections.lastIndex;
      for (let index = 0; index < count; index += 1) {
        const entry = this.text.slice(position, position + 20);
        const [offset, , kind] = entry.trim().split(/\s+/);
        if (kind === 'n') {
          const header = /^\d+ \d+ obj\b/.exec(
            this.text.slice(Number(offset), Number(offset) + 32),
          );
          if (header !== null) this.offsets.set(first + index, Number(offset) + header[0].length);
        }
        position += 20;
      }
    }
    return this.offsets.size > 0;
  }

  catalog(): PdfDictionary {
    const trailer = this.text.lastIndexOf('trailer');
    if (trailer >= 0) {
      const dictionary = new PdfParser(this.text, trailer + 'trailer'.length).value();
      const root = isDictionary(dictionary)
        ? this.resolve(dictionary.dictionary.get('Root'))
        : null;
      if (isDictionary(root)) return root;
    }
    for (const number of this.offsets.keys()) {
      const value = this.resolve({ ref: number });
      const type = isDictionary(value) ? value.dictionary.get('Type') : undefined;
      if (isName(type) && type.name === 'Catalog') return value as PdfDictionary;
    }
    throw new PdfStructureError('no document catalog (compressed object streams are not read)');
  }

  resolve(value: PdfValue | undefined): PdfValue | undefined {
    if (!isRef(value)) return value;
    if (this.parsed.has(value.ref)) return this.parsed.get(value.ref);
    const offset = this.offsets.get(value.ref);
    if (offset === undefined) return undefined;
    const parsed = new PdfParser(this.text, offset).value();
    this.parsed.set(value.ref, parsed);
    return parsed;
  }
}
