import { describe, expect, it } from 'vitest';
import { parseColumnFormat } from '../../reports/engine/cells.js';
import {
  formatDate,
  formatNumber,
  formatPercent,
  formatTco2e,
  formatValue,
} from '../../reports/engine/format.js';
import { escapeNarrativeText, htmlToText } from '../../reports/engine/markup.js';

// French typography as Intl gives it: U+202F between thousands, U+00A0 before % and units.
const thin = '\u202f';
const space = '\u00a0';

describe('French number formats', () => {
  it('groups thousands with a narrow no-break space and uses a decimal comma', () => {
    expect(formatNumber(1234567.891, 2)).toBe(`1${thin}234${thin}567,89`);
    expect(formatNumber(999.5)).toBe(`1${thin}000`);
    expect(formatNumber(12.25, 1)).toBe('12,3');
  });

  it('writes a ratio as a percentage with a no-break space before the sign', () => {
    expect(formatPercent(0.4552848, 1)).toBe(`45,5${space}%`);
    expect(formatPercent(-0.0169675, 1)).toBe(`-1,7${space}%`);
    expect(formatPercent(1)).toBe(`100${space}%`);
  });

  it('writes tonnes of CO₂ equivalent with one decimal by default', () => {
    expect(formatTco2e(12345.6)).toBe(`12${thin}345,6${space}tCO₂e`);
    expect(formatTco2e(378270.9, 0)).toBe(`378${thin}271${space}tCO₂e`);
  });

  it('never shows a negative zero', () => {
    expect(formatNumber(-0.04, 1)).toBe('0,0');
    expect(formatPercent(-0.0001, 1)).toBe(`0,0${space}%`);
  });

  it('reads ISO dates in UTC, long or short', () => {
    expect(formatDate('2024-03-28')).toBe('28 mars 2024');
    expect(formatDate('2024-01-01T00:30:00.000Z')).toBe('1 janvier 2024');
    expect(formatDate('2024-03-25', 'short')).toBe('25/03/2024');
    expect(formatDate('le 3 mars')).toBeUndefined();
  });
});

describe('column formats', () => {
  it('parses the format names of table cells', () => {
    expect(parseColumnFormat('number:1')).toEqual({ kind: 'number', digits: 1 });
    expect(parseColumnFormat('percent:1')).toEqual({ kind: 'percent', digits: 1 });
    expect(parseColumnFormat('tco2e')).toEqual({ kind: 'tco2e', digits: 1 });
    expect(parseColumnFormat('integer')).toEqual({ kind: 'integer' });
    expect(parseColumnFormat('number')).toEqual({ kind: 'number', digits: 0 });
    expect(parseColumnFormat('integer:2')).toBeUndefined();
    expect(parseColumnFormat('money')).toBeUndefined();
  });

  it('renders a null as the row notation key, or a dash, never as zero', () => {
    const format = { kind: 'number', digits: 1 } as const;
    expect(formatValue(null, format, { tco2e: null, notation: 'C' })).toBe('C');
    expect(formatValue(null, format, { tco2e: null, notation: null })).toBe('—');
    expect(formatValue(null, format)).toBe('—');
    expect(formatValue(0, format)).toBe('0,0');
    // The key speaks of the row's figure, not of its other columns (a year, a label).
    expect(formatValue(null, { kind: 'text' }, { data_years: null, notation: 'NE' })).toBe('—');
    expect(formatValue(null, { kind: 'date' }, { retrieved_at: null, notation: 'NE' })).toBe('—');
  });

  it('keeps numbers in text columns as written, without thousands separators', () => {
    expect(formatValue(2023, { kind: 'text' })).toBe('2023');
    expect(formatValue(0.5, { kind: 'text' })).toBe('0,5');
    expect(formatValue(true, { kind: 'text' })).toBe('oui');
  });
});

describe('escaping', () => {
  it('turns Markdown and HTML characters of data values into entities', () => {
    expect(escapeNarrativeText('Saint_Martin *<b>*')).toBe('Saint&#95;Martin &#42;&lt;b&gt;&#42;');
  });

  it("escapes an apostrophe once, so that « d'agglomération » does not print its entity", () => {
    const escaped = escapeNarrativeText("Communauté d'agglomération #1");
    expect(escaped).toBe('Communauté d&#39;agglomération &#35;1');
    expect(htmlToText(escaped)).toBe("Communauté d'agglomération #1");
  });

  it('reads rendered HTML back as text', () => {
    expect(htmlToText('<strong>A &amp; B</strong> &#95;x&#x3D;1&nbsp;!')).toBe('A & B _x=1\u00a0!');
  });
});
