// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${name} is the report's SQL placeholder syntax
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReportError } from '../../lib/errors.js';
import { resolveParameters } from '../../reports/engine/parameters.js';
import { parseNotebook } from '../../reports/engine/parse.js';
import { bindPlaceholders } from '../../reports/engine/sql.js';

const fixture = 'test/fixtures/reports/inventaire.md';

function parseText(text: string) {
  return parseNotebook('memory.md', text);
}

function problemOf(run: () => unknown): ReportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('expected a ReportError');
}

describe('parseNotebook', () => {
  const notebook = parseNotebook(fixture, readFileSync(fixture, 'utf8'));

  it('reads title, audience and typed parameters from the front matter', () => {
    expect(notebook.title).toBe('Inventaire des émissions — {{territory.name}}');
    expect(notebook.titleLine).toBe(2);
    expect(notebook.audience).toBe('committee');
    expect(
      notebook.parameters.map(({ name, type, required, line }) => [name, type, required, line]),
    ).toEqual([
      ['year', 'integer', false, 5],
      ['reference_year', 'integer', false, 6],
      ['sector', 'string', false, 7],
    ]);
    expect(notebook.parameters[0]!.default).toBe(2023);
  });

  it('keeps every cell with the line of its opening fence, in file order', () => {
    expect(notebook.cells.map((cell) => `${cell.kind} ${cell.name} ${cell.line}`)).toEqual([
      'sql totals 11',
      'sql change 20',
      'sql per_capita 26',
      'sql industry 32',
      'sql freshness 38',
      'sql by_sector 61',
      'chart by_sector 76',
      'table by_sector 87',
      'sql factors 95',
      'sql factor_count 99',
      'sql communes 107',
      'table communes 120',
      'sql trajectory 133',
      'chart trend 137',
      'sql sites 149',
      'table sites 153',
    ]);
  });

  it('reads chart cells in JSON and in YAML, with their data cells', () => {
    const charts = notebook.cells.filter((cell) => cell.kind === 'chart');
    expect(charts.map((chart) => chart.dataCells)).toEqual([['by_sector'], ['trajectory']]);
    expect((charts[1]!.spec.mark as { type: string }).type).toBe('line');
  });

  it('reads table columns, formats and totals', () => {
    const table = notebook.cells.find((cell) => cell.kind === 'table' && cell.name === 'communes');
    expect(table).toMatchObject({
      dataCell: 'communes',
      totals: ['population', 'tco2e'],
      columns: [
        { field: 'commune', title: 'Commune', format: { kind: 'text' } },
        { field: 'population', title: 'Habitants', format: { kind: 'integer' } },
        { field: 'tco2e', title: 'tCO₂e', format: { kind: 'tco2e', digits: 1 } },
        { field: 'per_capita', title: 'tCO₂e par habitant', format: { kind: 'number', digits: 2 } },
        { field: 'share', title: 'Part', format: { kind: 'percent', digits: 1 } },
      ],
    });
  });

  it('keeps the template aligned with the file, line for line', () => {
    const fileLines = readFileSync(fixture, 'utf8').split('\n');
    const templateLines = notebook.template.split('\n');
    expect(templateLines).toHaveLength(fileLines.length);
    expect(templateLines[44]).toBe(fileLines[44]);
    expect(templateLines[10]).toBe('<!--terreze-cell-0-->');
    expect(templateLines[11]).toBe('');
  });

  it('names the line of a cell without a name', () => {
    const error = problemOf(() =>
      parseText('---\ntitle: T\naudience: public\n---\n\n```sql\nselect 1\n```\n'),
    );
    expect(error.message).toBe(
      'memory.md:6 sql cell needs a name made of letters, digits and _ (```sql my_name)',
    );
  });

  it('names the line of a cell that is not closed', () => {
    const error = problemOf(() =>
      parseText('---\ntitle: T\naudience: public\n---\n```sql a\nselect 1\n'),
    );
    expect(error.message).toBe('memory.md:5 sql cell "a" is not closed');
  });

  it('names the front matter field that is wrong, on its line', () => {
    const error = problemOf(() => parseText('---\ntitle: T\naudience: everyone\n---\n'));
    expect(error.line).toBe(3);
    expect(error.message).toContain('front matter at audience');
  });

  it('names a default of the wrong type', () => {
    const text =
      '---\ntitle: T\naudience: public\nparameters:\n  year: { type: integer, default: soon }\n---\n';
    const error = problemOf(() => parseText(text));
    expect(error.message).toBe(
      'memory.md:5 parameter "year" has a default of the wrong type: "soon" is not an integer',
    );
  });

  it('names a table format it does not know, on the line of the column', () => {
    const text =
      '---\ntitle: T\naudience: public\n---\n```sql t\nselect 1 as a\n```\n```table t\ncolumns:\n  - { field: a, format: money }\n```\n';
    const error = problemOf(() => parseText(text));
    expect(error.line).toBe(10);
    expect(error.message).toContain('unknown format "money"');
  });

  it('refuses chart data from a URL', () => {
    const text =
      '---\ntitle: T\naudience: public\n---\n```chart c\ndata: { url: "data.csv" }\nmark: bar\n```\n';
    const error = problemOf(() => parseText(text));
    expect(error.message).toBe(
      'memory.md:6 chart cell "c" may read data only from a cell ("data": { "cell": "…" })',
    );
  });

  it('skips ordinary code blocks, even when they hold a cell fence', () => {
    const text =
      '---\ntitle: T\naudience: public\n---\n````markdown\n```sql a\nselect 1\n```\n````\n';
    expect(parseText(text).cells).toEqual([]);
  });
});

describe('parameters', () => {
  const notebook = parseNotebook(
    'params.md',
    '---\ntitle: T\naudience: public\nparameters:\n  commune: { type: string }\n  year: { type: integer, default: 2023 }\n  ratio: { type: number, required: false }\n  draft: { type: boolean, default: false }\n---\n',
  );

  it('applies defaults and accepts exact text for numbers and booleans', () => {
    const resolved = resolveParameters('params.md', notebook.parameters, {
      commune: 'Aytré',
      year: '2024',
      draft: 'true',
    });
    expect(resolved).toEqual({ commune: 'Aytré', year: 2024, ratio: null, draft: true });
  });

  it('names a missing required parameter with the line that declares it', () => {
    const error = problemOf(() => resolveParameters('params.md', notebook.parameters, {}));
    expect(error.message).toBe('params.md:5 missing required parameter "commune" (a string)');
  });

  it('names a parameter of the wrong type', () => {
    const error = problemOf(() =>
      resolveParameters('params.md', notebook.parameters, { commune: 'Aytré', year: 2023.5 }),
    );
    expect(error.message).toBe(
      'params.md:6 parameter "year" has the wrong type: 2023.5 is not an integer',
    );
  });

  it('names a parameter the report does not declare', () => {
    const error = problemOf(() =>
      resolveParameters('params.md', notebook.parameters, { commune: 'Aytré', yaer: 2023 }),
    );
    expect(error.message).toBe(
      'params.md unknown parameter "yaer" (declared: commune, year, ratio, draft)',
    );
  });
});

describe('bindPlaceholders', () => {
  const fail = (message: string, line: number): never => {
    throw new Error(`${line}: ${message}`);
  };

  it('turns each parameter into one positional parameter, reused when repeated', () => {
    const bound = bindPlaceholders(
      'select * from t where a = ${year} and (${sector} is null or s = ${sector})',
      new Set(['year', 'sector']),
      fail,
    );
    expect(bound).toEqual({
      sql: 'select * from t where a = $1 and ($2 is null or s = $2)',
      names: ['year', 'sector'],
    });
  });

  it('leaves comments alone and refuses a placeholder inside quotes', () => {
    expect(bindPlaceholders('select 1 -- ${year}\n', new Set(['year']), fail).sql).toBe(
      'select 1 -- ${year}\n',
    );
    expect(() =>
      bindPlaceholders("select 1\nwhere a = '${year}'", new Set(['year']), fail),
    ).toThrow('2: a parameter placeholder inside quotes would not be bound; write it outside');
  });

  it('names an undeclared parameter and its line in the cell', () => {
    expect(() => bindPlaceholders('select 1\nwhere a = ${yaer}', new Set(['year']), fail)).toThrow(
      '2: unknown parameter ${yaer} (declared: year)',
    );
  });
});
