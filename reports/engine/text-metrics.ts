import { existsSync, readFileSync } from 'node:fs';

/**
 * Text widths for chart layout, read from the DejaVu Sans font files themselves. Without a
 * canvas Vega guesses 0.8 em per character, which is far wider than DejaVu Sans: long axis
 * labels were cut short and plots squeezed. Kerning is ignored, so a measure errs on the wide
 * side by a little, and nothing is clipped.
 */

const fontFolders = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/TTF',
];

export interface FontMetrics {
  /** Advance width of `text` at `fontSizePx`, in pixels. */
  width(text: string, fontSizePx: number): number;
}

/** Reads the advance widths of a TrueType font (format 4 character map, so the BMP only). */
export function readFontMetrics(font: Uint8Array): FontMetrics {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = new Map<string, number>();
  const tableCount = view.getUint16(4);
  for (let index = 0; index < tableCount; index += 1) {
    const record = 12 + index * 16;
    const tag = String.fromCharCode(...font.subarray(record, record + 4));
    tables.set(tag, view.getUint32(record + 8));
  }
  const table = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };

  const unitsPerEm = view.getUint16(table('head') + 18);
  const metricCount = view.getUint16(table('hhea') + 34);
  const horizontalMetrics = table('hmtx');
  const advanceOf = (glyph: number) =>
    view.getUint16(horizontalMetrics + 4 * Math.min(glyph, metricCount - 1));

  const glyphOf = characterMap(view, table('cmap'));
  const missingAdvance = advanceOf(0);
  const advances = new Map<number, number>();
  const advance = (codePoint: number) => {
    let value = advances.get(codePoint);
    if (value === undefined) {
      const glyph = glyphOf(codePoint);
      value = glyph === 0 ? missingAdvance : advanceOf(glyph);
      advances.set(codePoint, value);
    }
    return value;
  };

  return {
    width(text, fontSizePx) {
      let units = 0;
      for (const character of text) units += advance(character.codePointAt(0)!);
      return (units / unitsPerEm) * fontSizePx;
    },
  };
}

function characterMap(view: DataView, cmap: number): (codePoint: number) => number {
  const subtableCount = view.getUint16(cmap + 2);
  let subtable: number | undefined;
  for (let index = 0; index < subtableCount; index += 1) {
    const record = cmap + 4 + index * 8;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const offset = cmap + view.getUint32(record + 4);
    const unicode = (platform === 3 && encoding === 1) || platform === 0;
    if (unicode && view.getUint16(offset) === 4) subtable = offset;
  }
  if (subtable === undefined) throw new Error('font has no format 4 character map');

  const segmentCount = view.getUint16(subtable + 6) / 2;
  const endCodes = subtable + 14;
  const startCodes = endCodes + 2 * segmentCount + 2;
  const deltas = startCodes + 2 * segmentCount;
  const rangeOffsets = deltas + 2 * segmentCount;

  return (codePoint) => {
    if (codePoint > 0xffff) return 0;
    for (let segment = 0; segment < segmentCount; segment += 1) {
      if (view.getUint16(endCodes + 2 * segment) < codePoint) continue;
      const start = view.getUint16(startCodes + 2 * segment);
      if (start > codePoint) return 0;
      const delta = view.getInt16(deltas + 2 * segment);
      const rangeOffsetAddress = rangeOffsets + 2 * segment;
      const rangeOffset = view.getUint16(rangeOffsetAddress);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsetAddress + rangeOffset + 2 * (codePoint - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

export type TextMeasure = (
  item: { fontSize?: number; fontWeight?: string | number },
  text?: unknown,
) => number;

/** A Vega `textMetrics.width` for DejaVu Sans, or undefined when its files are not installed. */
export function dejaVuTextMeasure(
  folders: readonly string[] = fontFolders,
): TextMeasure | undefined {
  const folder = folders.find((candidate) => existsSync(`${candidate}/DejaVuSans.ttf`));
  if (folder === undefined) return undefined;

  const regular = readFontMetrics(readFileSync(`${folder}/DejaVuSans.ttf`));
  const boldFile = `${folder}/DejaVuSans-Bold.ttf`;
  const bold = existsSync(boldFile) ? readFontMetrics(readFileSync(boldFile)) : regular;

  return (item, text) => {
    const fontSize = item.fontSize ?? 11;
    const weight = item.fontWeight;
    const isBold = weight === 'bold' || (typeof weight === 'number' && weight >= 600);
    const line = text === undefined || text === null ? '' : String(text).trim();
    // The full width, also for a label over its limit: Vega's truncation measures through
    // this same function, so it must see true widths.
    return (isBold ? bold : regular).width(line, fontSize);
  };
}
