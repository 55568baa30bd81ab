import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedReport } from '../../workflows/types.js';
import { createEditionHome, type EditionHome } from './edition-fixture.js';
import { asPdfText, pagesText, wordBoxes } from './poppler.js';

/*
 * The rows of edition-fixture.ts, with the reference year 2023 read from the edition: the
 * edition itself is the baseline. Complete, its total is 52 + 11.2 + 2.175 = 65.375 t and the
 * 2030 target (−30 %) 0.7 × 65.375 = 45.7625 t. When the heat source fails, its sub-sectors
 * I.1.2 and I.2.2 lose the 11.2 t: the baseline is 52 + 2.175 = 54.175 t and the 2030 target
 * 0.7 × 54.175 = 37.9225 t, lower for want of a source, which the report must say. When the
 * waste source fails too, the baseline is the electricity's 52 t and the target 36.4 t.
 */

const reports = [
  {
    id: 'committee',
    template: 'builtin:committee',
    title: 'Comité',
    audience: 'committee' as const,
    formats: ['html' as const, 'pdf' as const],
    retrievalMaxAgeDays: 90,
  },
];

function flatText(report: RenderedReport): string {
  return asPdfText(pagesText(report.pdf!).join('\n')).replace(/\s+/g, ' ');
}

/**
 * The cover's key figure of the reference year, read in its own box: the words from its
 * title "Depuis" down to the next row of figures ("Reste à réduire"), right of its left edge.
 */
function referenceFigure(report: RenderedReport): string {
  const words = wordBoxes(report.pdf!, 1);
  const title = words.find((box) => box.word === 'Depuis')!;
  const nextRow = words.find((box) => box.word === 'Reste')!;
  return asPdfText(
    words
      .filter(
        (box) =>
          box.xMin >= title.xMin - 1 && box.yMin >= title.yMin - 1 && box.yMin < nextRow.yMin,
      )
      .sort((left, right) => left.yMin - right.yMin || left.xMin - right.xMin)
      .map((box) => box.word)
      .join(' '),
  );
}

describe('a trajectory whose reference edition lacks a source', () => {
  let home: EditionHome;
  let complete: string;
  let incomplete: string;
  let completeFigure: string;
  let incompleteFigure: string;
  let twoMissing: string;

  beforeAll(async () => {
    home = await createEditionHome(reports, {}, undefined, {
      inventory: { referenceYear: 2023, baseline: { from: 'edition' } },
    });
    const full = await home.compute();
    const completeReport = (await home.render(full, ['committee']))[0]!;
    complete = flatText(completeReport);
    completeFigure = referenceFigure(completeReport);
    const failed = await home.compute({
      failed: [{ sourceId: 'heat', message: 'GET http://127.0.0.1/heat answered 404' }],
      skipped: [],
    });
    const rendered = (await home.render(failed, ['committee']))[0]!;
    incomplete = flatText(rendered);
    incompleteFigure = referenceFigure(rendered);
    const both = await home.compute({
      failed: [
        { sourceId: 'heat', message: 'GET http://127.0.0.1/heat answered 404' },
        { sourceId: 'waste', message: 'GET http://127.0.0.1/waste answered 404' },
      ],
      skipped: [],
    });
    twoMissing = flatText((await home.render(both, ['committee']))[0]!);
  }, 240_000);

  afterAll(async () => {
    await home?.remove();
  });

  it('says nothing of the baseline when every source was collected', () => {
    expect(completeFigure).toBe('Depuis 2023 (référence) référence objectif 2030 : 46 tCO₂e');
    expect(complete).toContain('soit 45,8 tCO₂e');
    expect(complete).not.toContain('référence incomplète');
  });

  it('says on the cover figure of the reference year that the baseline lacks the source', () => {
    expect(incompleteFigure).toBe(
      'Depuis 2023 (référence) référence objectif 2030 : 38 tCO₂e ; référence incomplète : sans heat',
    );
  });

  it('says in the trajectory section that the targets rest on an incomplete baseline', () => {
    expect(incomplete).toContain('soit 37,9 tCO₂e');
    expect(incomplete).toContain(
      "Attention, référence incomplète : sans heat. L'édition de 2023 dont part la trajectoire " +
        "n'a pas pu collecter cette source : son total ne compte pas ce qu'elle apporte, et les " +
        "objectifs, le budget carbone et l'écart calculés sur lui sont plus bas que sur une " +
        'référence complète.',
    );
  });

  it('names every source the baseline lacks', () => {
    expect(twoMissing).toContain('soit 36,4 tCO₂e');
    expect(twoMissing).toContain(
      "Attention, référence incomplète : sans heat, waste. L'édition de 2023 dont part la " +
        "trajectoire n'a pas pu collecter ces sources : son total ne compte pas ce qu'elles " +
        'apportent,',
    );
  });
});
