import { describe, expect, it } from 'vitest';
import { lineOfRecord, parseCsv, parseCsvRecords } from '../../lib/csv.js';
import { ParseError } from '../../lib/errors.js';

describe('the small CSV reader', () => {
  it('drops the byte-order mark and honours quotes, doubled quotes and CRLF', () => {
    const text = '\uFEFFid,name,note\r\n1,"Ile d\'If","a ""quoted"", b"\r\n2,Frioul,\r\n';
    expect(parseCsv(text, 'feed#stops.txt')).toEqual({
      header: ['id', 'name', 'note'],
      records: [
        { line: 2, values: ['1', "Ile d'If", 'a "quoted", b'] },
        { line: 3, values: ['2', 'Frioul', ''] },
      ],
    });
  });

  it('counts lines inside quoted fields so later records keep their real line', () => {
    const text = 'a;b\n"one\ntwo";x\n"three";y\n';
    expect(parseCsvRecords(text, 'f', { delimiter: ';' }).map((record) => record.line)).toEqual([
      1, 2, 4,
    ]);
    expect(lineOfRecord(text, 2)).toBe(4);
    expect(lineOfRecord(text, 1)).toBe(2);
  });

  it('names the file and line of a record of the wrong width', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'feed#trips.txt')).toThrow(
      new ParseError('feed#trips.txt', 'expected 2 fields as in the header, found 1', { line: 3 }),
    );
  });

  it('reports a quote never closed, unless reading the head of a file', () => {
    expect(() => parseCsvRecords('a\n"open\n', 'f')).toThrow(/quoted field is never closed/);
    expect(parseCsvRecords('a\n"open\n', 'f', { partial: true })).toEqual([
      { line: 1, values: ['a'] },
    ]);
  });
});
