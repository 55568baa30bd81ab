/**
 * The little of PDF syntax (ISO 32000-1, section 7.3) needed to read a document's catalog,
 * page tree and destinations: dictionaries, arrays, names, strings, numbers and references.
 */

import { TerrezeError } from '../../lib/errors.js';

export type PdfValue =
  | number
  | string
  | boolean
  | null
  | { name: string }
  | { ref: number }
  | PdfValue[]
  | PdfDictionary;

export interface PdfDictionary {
  dictionary: Map<string, PdfValue>;
}

/** The PDF does not have the structure this reader expects. */
export class PdfStructureError extends TerrezeError {}

const delimiters = new Set(['(', ')', '<', '>', '[', ']', '{', '}', '/', '%']);

/** Reads one PDF value (COS syntax) from an offset; streams' contents are never read. */
export class PdfParser {
  constructor(
    private readonly text: string,
    private position: number,
  ) {}

  value(): PdfValue {
    this.skipSpace();
    const character = this.text[this.position];
    if (character === undefined) throw new PdfStructureError('unexpected end of the PDF');
    if (this.text.startsWith('<<', this.position)) return this.dictionary();
    if (character === '[') return this.array();
    if (character === '/') return { name: this.name() };
    if (character === '(') return this.literalString();
    if (character === '<') return this.hexString();
    const word = this.word();
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return this.numberOrReference(Number(word));
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    throw new PdfStructureError(`unexpected "${word}" at byte ${this.position}`);
  }

  private numberOrReference(number: number): PdfValue {
    const saved = this.position;
    const reference = /^\s+(\d+)\s+R(?![^\s()<>[\]{}/%])/.exec(this.text.slice(saved, saved + 24));
    if (reference !== null && Number.isInteger(number)) {
      this.position = saved + reference[0].length;
      return { ref: number };
    }
    return number;
  }

  private dictionary(): PdfDictionary {
    this.position += 2;
    const dictionary = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('>>', this.position)) {
        this.position += 2;
        return { dictionary };
      }
      if (this.text[this.position] !== '/') {
        throw new PdfStructureError(`dictionary key expected at byte ${this.position}`);
      }
      const key = this.name();
      dictionary.set(key, this.value());
    }
  }

  private array(): PdfValue[] {
    this.position += 1;
    const items: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === ']') {
        this.position += 1;
        return items;
      }
      items.push(this.value());
    }
  }

  private name(): string {
    this.position += 1;
    const raw = this.word();
    return raw.replace(/#([0-9a-fA-F]{2})/g, (_match, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }

  private literalString(): string {
    this.position += 1;
    let depth = 1;
    let result = '';
    while (this.position < this.text.length) {
      const character = this.text[this.position]!;
      this.position += 1;
      if (character === '\\') {
        const next = this.text[this.position]!;
        this.position += 1;
        const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
        result += escapes[next] ?? next;
        continue;
      }
      if (character === '(') depth += 1;
      if (character === ')') {
        depth -= 1;
        if (depth === 0) return result;
      }
      result += character;
    }
    throw new PdfStructureError('unterminated string');
  }

  private hexString(): string {
    const end = this.text.indexOf('>', this.position);
    if (end < 0) throw new PdfStructureError('unterminated hex string');
    const hex = this.text.slice(this.position + 1, end).replace(/\s+/g, '');
    this.position = end + 1;
    const bytes = hex.padEnd(hex.length + (hex.length % 2), '0').match(/../g) ?? [];
    return bytes.map((pair) => String.fromCharCode(Number.parseInt(pair, 16))).join('');
  }

  private word(): string {
    const start = this.position;
    while (this.position < this.text.length) {
      const character = this.text[this.position]!;
      if (/\s/.test(character) || delimiters.has(character)) break;
      this.position += 1;
    }
    return this.text.slice(start, this.position);
  }

  private skipSpace(): void {
    for (;;) {
      while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) {
        this.position += 1;
      }
      if (this.text[this.position] !== '%') return;
      while (this.position < this.text.length && !/[\r\n]/.test(this.text[this.position]!)) {
        this.position += 1;
      }
    }
  }
}

/** Whether `value` is an indirect reference (`12 0 R`). */
export function isRef(value: PdfValue | undefined): value is { ref: number } {
  return value !== null && typeof value === 'object' && 'ref' in value;
}

/** Whether `value` is a name (`/Page`). */
export function isName(value: PdfValue | undefined): value is { name: string } {
  return value !== null && typeof value === 'object' && 'name' in value;
}

/** Whether `value` is a dictionary (`<< … >>`). */
export function isDictionary(value: PdfValue | undefined): value is PdfDictionary {
  return value !== null && typeof value === 'object' && 'dictionary' in value;
}
