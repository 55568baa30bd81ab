import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInventory } from '../models/fixture-inventory.js';
import { createEditionHome, type EditionHome } from './edition-fixture.js';
import { asPdfText, pagesText } from './poppler.js';

/*
 * The rows of edition-fixture.ts (total 65.375 t; III.1.1 holds the landfilled 2.175 t, I.1.1
 * has no source: NE) with three levers:
 * - the renovation of the test project, on I.1.1: 10 × 10,000 kWh PCS × 0.215 = 21.5 t →
 *   12.9 t, 8.6 t saved; its sub-sector has no figure, so no share of the total (8.6 / 65.375
 *   would read 13,2 %);
 * - 100 t landfilled (× 87 kgCO2e/t = 8.7 t) incinerated instead (100,000 kg × 0.045 = 4.5 t),
 *   4.2 t saved: its 8.7 t exceed III.1.1's 2.175 t, so no share either;
 * - 10 t the same way: 0.87 t → 0.45 t, 0.42 t saved, within III.1.1: 0.42 / 65.375 = 0.64 %.
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

const divert = (id: string, tonnes: number) => ({
  id,
  kind: 'divert-waste',
  title: `Incinerate ${tonnes} t instead of landfilling`,
  tonnes,
  fromActivity: 'waste-landfill-non-hazardous',
  toActivity: 'waste-incineration-putrescible',
  gpcRef: 'III.1.1',
});

describe('levers beside the inventory figure of their sub-sector', () => {
  let home: EditionHome;
  let text: string;

  beforeAll(async () => {
    home = await createEditionHome(reports, {}, undefined, {
      inventory: {
        levers: [testInventory.levers[0], divert('large', 100), divert('small', 10)],
      },
    });
    const summary = await home.compute();
    const report = (await home.render(summary, ['committee']))[0]!;
    text = asPdfText(pagesText(report.pdf!).join('\n'));
  }, 240_000);

  afterAll(async () => {
    await home?.remove();
  });

  it('adds up only the levers the inventory holds, the indicative ones apart', () => {
    // 0.42 t for the one lever within its sub-sector; 8.6 + 4.2 = 12.8 t for the two others.
    expect(text).toMatch(
      /Gain des leviers rapportés à l'inventaire : 0,4 tCO₂e ; 2 leviers indicatifs, non\s+additionnés\s+à\s+ce\s+gain\s+:\s+12,8 tCO₂e\./,
    );
  });

  it('gives no share of the total for a lever its sub-sector cannot hold, and says why', () => {
    // The first line of each table row, as pdftotext lays it out; "—" where there is no share.
    const rows = text
      .split('\n')
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter((line) => /^(Renovate|Incinerate) /.test(line));
    expect(rows.slice(0, 3)).toEqual([
      'Renovate I.1.1 21,5 12,9 8,6 — indicatif :',
      'Incinerate III.1.1 8,7 4,5 4,2 — indicatif :',
      'Incinerate III.1.1 0,9 0,5 0,4 0,6 % —',
    ]);
    expect(text).not.toContain('13,2 %');
  });

  it('says beside each indicative lever what its sub-sector holds', () => {
    // Read across page breaks: without the running header and footer of each page.
    const flat = text
      .split('\n')
      .filter((line) => !/page \d+ \/ \d+$|Diffusion : comité de pilotage$/.test(line.trim()))
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(flat).toContain(
      "Le sous-secteur I.1.1 n'a pas de chiffre dans l'inventaire (NE) : le gain est indicatif " +
        "et n'est pas rapporté au total.",
    );
    expect(flat).toContain(
      'Son point de départ (8,7 tCO₂e) dépasse le chiffre inventorié du sous-secteur III.1.1 ' +
        "(2,2 tCO₂e) : le gain est indicatif et n'est pas rapporté au total.",
    );
    // The small lever is within III.1.1: one warning of each kind, none for it.
    expect(flat.split(') : le gain est indicatif').length - 1).toBe(2);
  });
});
