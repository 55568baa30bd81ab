import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditionManifest } from '../../activities/editions.js';
import type { InventorySummary, RenderedReport } from '../../workflows/types.js';
import { createEditionHome, type EditionHome, editionOf } from './edition-fixture.js';
import { asPdfText, pageCount, pagesText } from './poppler.js';

/*
 * The rows of edition-fixture.ts, with three more waste rows and the transit feed declared a
 * stand-in. Waste tonnages are the département's, a quarter of them the territory's (1,000 of
 * 4,000 inhabitants), wet as collected:
 * - bulky waste landfilled, 100 t → 25 t × 87 kgCO2e/t = 2.175 t (III.1.1);
 * - green waste composted, 60 t → 15 t × (4 kg CH4 × 28 + 0.3 kg N2O × 265 = 191.5 kgCO2e/t)
 *   = 2.8725 t (III.2.1);
 * - recyclables sent to material recovery, 40 t → 10 t, a memo item;
 * - hazardous waste landfilled, 8 t → 2 t, no factor selected: NE.
 * Stationary energy 52 + 11.2 = 63.2 t; waste 2.175 + 2.8725 = 5.0475 t; total 68.2475 t. The
 * transit feed: 2 days of 2017 × 10 vehicle-km × 0.465 L/km × 3.17 kgCO2e/L = 0.029481 t,
 * illustrative. The tertiary heat of La Rochelle is secret: I.2.2 holds one C row.
 *
 * When the heat source fails, the sub-sectors its last partition feeds (I.1.2 residential,
 * I.2.2 tertiary) are incomplete: stationary energy is electricity alone, 52 t, and the total
 * 52 + 5.0475 = 57.0475 t.
 */

const waste = (
  wasteCode: string,
  wasteLabel: string,
  treatmentCode: string,
  treatmentLabel: string,
  tonnes: number,
) => ({
  year: 2017,
  region_code: '75',
  department_code: '17',
  department_name: 'Charente-Maritime',
  waste_code: wasteCode,
  waste_label: wasteLabel,
  treatment_code: treatmentCode,
  treatment_label: treatmentLabel,
  tonnes,
  tonnes_flag: null,
});

const wasteRows = [
  waste('02D', 'Encombrants', '02D', 'Stockage', 100),
  waste('02C', 'Déchets verts', '02E', 'Valorisation organique', 60),
  waste('02B', 'Recyclables secs', '02A', 'Valorisation matière', 40),
  waste('02A', 'Déchets dangereux', '02D', 'Stockage', 8),
];

const reports = [
  {
    id: 'committee',
    template: 'builtin:committee',
    title: 'Comité',
    audience: 'committee' as const,
    formats: ['html' as const, 'pdf' as const],
    retrievalMaxAgeDays: 90,
  },
  {
    id: 'public-summary',
    template: 'builtin:public-summary',
    title: 'Synthèse',
    audiences: ['public' as const],
    formats: ['html' as const, 'pdf' as const],
    retrievalMaxAgeDays: 90,
  },
];

const heatFailure = 'GET http://127.0.0.1/heat answered 503 after 5 attempts';

/** The PDF's text with every run of white space made one space, as a reader reads it. */
function flatText(report: RenderedReport): string {
  return asPdfText(pagesText(report.pdf!).join('\n')).replace(/\s+/g, ' ');
}

function layoutText(report: RenderedReport): string {
  return asPdfText(pagesText(report.pdf!).join('\n'));
}

describe('what the committee report says the totals leave out, and its method', () => {
  let home: EditionHome;
  let complete: InventorySummary;
  let edition: EditionManifest;
  let committee: RenderedReport;
  let text: string;
  let layout: string;

  beforeAll(async () => {
    home = await createEditionHome(reports, { waste: wasteRows }, undefined, {
      standInTransit: true,
    });
    complete = await home.compute();
    edition = await editionOf(complete);
    committee = (await home.render(complete, ['committee']))[0]!;
    text = flatText(committee);
    layout = layoutText(committee);
  }, 180_000);

  afterAll(async () => {
    await home?.remove();
  });

  it('computes the hand-derived total', () => {
    expect(complete.totalTco2e).toBeCloseTo(68.2475, 9);
  });

  it('lists what no total holds, by category, with quantities, units and reasons', () => {
    expect(text).toContain('Ce que les totaux ne comptent pas');
    expect(text).toContain("Pour mémoire : 1 poste (1 ligne d'activité).");
    expect(text).toContain("Substitution : 1 poste (1 ligne d'activité).");
    expect(text).toContain("Confidentiel (C) : 1 poste (1 ligne d'activité).");
    expect(text).toContain("Non estimé (NE) : 1 poste (1 ligne d'activité).");
    const table = layout;
    expect(table).toMatch(
      /Pour mémoire\s+waste\s+hors\s+waste-material-\s+10,0 t \(humide\) la valorisation matière/,
    );
    expect(table).toMatch(
      /Substitution\s+transit\s+II\.1\.1\s+transit-bus-diesel\s+20,0 véhicule-/,
    );
    expect(table).toMatch(
      /Confidentiel\s+heat\s+I\.2\.2\s+heat-network\s+C MWh\s+secret statistique/,
    );
    expect(table).toMatch(
      /Non estimé\s+waste\s+III\.1\.1\s+waste-landfill-\s+2,0 t \(humide\) aucun facteur retenu pour/,
    );
  });

  it('gives the material recovery memo item apart, outside every total', () => {
    expect(text).toContain('Pour mémoire : valorisation matière');
    expect(text).toContain('En tout, 10,0 t envoyées en valorisation matière (données 2017).');
    expect(layout).toMatch(
      /Recyclables secs\s+waste\s+2017\s+réduite à l'échelle\s+10,0 t \(humide\)\n/,
    );
  });

  it('gives the stand-in figure as illustrative, in no total', () => {
    expect(text).toContain(
      '« the territory bus network » : test feed of another network. En II.1.1, ses 20,0 véhicule-km de 2017 (transit-bus-diesel, facteur local:diesel) donneraient 0,029 tCO₂e : chiffre illustratif, hors de tout total.',
    );
    expect(text).toContain('donnée de substitution : 0,029 tCO₂e, illustratif, hors total');
  });

  it('defines the notation keys where they appear', () => {
    const legends = text.split('Clés de notation (GPC)').length - 1;
    // In the synthesis (the cover has no room left when a source failed), under the
    // sub-sector table, in the section on what the totals leave out, under the coverage table.
    expect(legends).toBe(4);
    expect(text).toContain(
      'NE non estimé : des émissions existent mais ne sont ni estimées ni déclarées',
    );
    expect(text).toContain('C confidentiel : sa publication révélerait une donnée protégée');
  });

  it('states the method from the edition: GWP set, data years, downscaling', () => {
    expect(text).toContain('potentiels de réchauffement global (PRG) AR5 : CH₄ 28, N₂O 265.');
    expect(text).toContain("2023 (année de l'inventaire) : electricity, heat — GPC I.");
    expect(text).toContain(
      "2017 (6 ans avant l'année de l'inventaire) : transit (substitution), waste — GPC II, III.",
    );
    expect(text).toContain(
      'Les données de waste sont publiées pour le département 17 et réduites au territoire au prorata de la population : 1 000 habitants sur 4 000 (25,00 %).',
    );
  });

  it('names each factor with its source and the version the edition pinned', () => {
    const version = (ref: string) =>
      edition.factors.find((factor) => factor.factorRef === ref)!.version;
    expect(text).toContain(
      `local:composting (version ${version('local:composting')}) — source : IPCC 2006, vol. 5 ch. 4, Table 4.1, wet-weight defaults`,
    );
    expect(text).toContain(`local:heat (version ${version('local:heat')}) — source : Fedene`);
    expect(text).toContain(
      `local:diesel (version ${version('local:diesel')}) — source : arrêté ; registre : declared in the project file, validité 2017 ; conversion : vehicle-km → L ×0.465 ; appliqué aux seules données de substitution (illustratif).`,
    );
  });

  it('states the mass basis of composting and the factor it meets', () => {
    expect(text).toContain(
      'pour waste-composting-green : 15,0 t en masse humide, facteur sur base humide de 4,0 kg CH₄ et 0,3 kg N₂O par tonne, soit 191,5 kgCO2e/t avec les PRG AR5 : 2,9 tCO₂e.',
    );
  });

  it('shows no completeness banner when every source was collected', () => {
    expect(text).not.toContain('Inventaire incomplet');
    expect(layout).toMatch(/Énergie stationnaire\s+I\s+63,2\s+toutes collectées/);
  });

  describe('when a source fails under the continue policy', () => {
    let failed: InventorySummary;
    let report: RenderedReport;
    let publicReport: RenderedReport;
    let failedText: string;

    beforeAll(async () => {
      failed = await home.compute({
        failed: [{ sourceId: 'heat', message: heatFailure }],
        skipped: [],
      });
      const rendered = await home.render(failed, ['committee', 'public-summary']);
      report = rendered[0]!;
      publicReport = rendered[1]!;
      failedText = flatText(report!);
    }, 180_000);

    it('computes the total without the failed source', () => {
      expect(failed.totalTco2e).toBeCloseTo(57.0475, 9);
    });

    it('says on the cover which source failed and which sub-sectors it feeds', () => {
      const cover = asPdfText(pagesText(report.pdf!)[0]!).replace(/\s+/g, ' ');
      expect(cover).toContain(
        `Inventaire incomplet. La source heat title (heat) est en échec (${heatFailure}) ; elle alimente 2 sous-secteurs : I.1.2, I.2.2. Le secteur I est partiel, et le total avec : ils ne comptent que les sources collectées.`,
      );
      expect(asPdfText(pagesText(report.pdf!)[0]!)).toMatch(
        /Énergie stationnaire\s+I\s+52,0\s+incomplet : manque heat/,
      );
    });

    it('names the sub-sectors the failed source feeds in the data quality section', () => {
      expect(failedText).toContain(
        `Source en échec — heat title (heat) : ${heatFailure}. Sous-secteurs qu'elle alimente, incomplets (chiffrés sans elle, ou NE quand il ne reste rien) : I.1.2, I.2.2.`,
      );
    });

    it('marks the incomplete sector and sub-sectors', () => {
      expect(failedText).toContain('Énergie stationnaire (GPC I) : 52,0 tCO₂e (incomplet)');
      expect(layoutText(report)).toMatch(
        /I\.1\.2\s+Bâtiments résidentiels — énergie de\s+2\s+Résidentiel\s+52,0\s+incomplet/,
      );
    });

    it('tells the public reader too, from the published tables', () => {
      expect(pageCount(publicReport.pdf!)).toBe(1);
      const published = flatText(publicReport);
      // The key figure's note wraps in its box: "heat" ends it on the next line.
      expect(layoutText(publicReport)).toMatch(
        /Test territory — incomplet, sans\s[^\n]*\n\s+heat\s/,
      );
      expect(published).toContain('Énergie stationnaire (incomplet)');
      expect(published).toContain('57,0 tCO₂e');
    });
  });
});
