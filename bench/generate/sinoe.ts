import { createRandom } from '../support/random.js';
import { openTextSink } from '../support/text-sink.js';
import { departments } from './departments.js';

/**
 * ADEME SINOE recycling-centre tonnages by département, waste type and treatment, as the real
 * export: UTF-8 with BOM, `,`, LF, text fields quoted, year, region code and tonnage bare.
 */

const header = [
  'ANNEE',
  'C_REGION',
  'L_REGION',
  'C_DEPT',
  'N_DEPT',
  'C_TYP_REG_DECHET',
  'L_TYP_REG_DECHET',
  'C_TYP_REG_SERVICE',
  'L_TYP_REG_SERVICE',
  'TONNAGE_DECH',
];

const treatments: Record<string, string> = {
  '02A': 'Valorisation matière',
  '02B': "Incinération avec récupération d'énergie",
  '02C': "Incinération sans récupération d'énergie",
  '02D': 'Stockage',
  '02E': 'Valorisation organique',
  '02F': 'Stockage pour inertes',
  '02Z': 'Non précisé',
};

// Waste type, label, tonnes per département and year (median), treatments it goes to.
const wastes: [string, string, number, string[]][] = [
  ['02A', 'Déchets dangereux', 900, ['02A', '02B', '02D', '02F']],
  ['02B', 'Matériaux recyclables', 14_000, ['02A', '02B', '02D']],
  ['02C', 'Déchets verts', 22_000, ['02A', '02E', '02Z']],
  ['02D', 'Encombrants', 18_000, ['02A', '02B', '02C', '02D']],
  ['02E', 'Déblais et gravats', 20_000, ['02A', '02D', '02F']],
  ['02F', 'DEEE', 2_200, ['02A', '02Z']],
  ['02Z', 'Autres déchets', 3_000, ['02A', '02B', '02D', '02Z']],
];

const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;

export const sinoeYears = [2009, 2011, 2013, 2015, 2017, 2019, 2021, 2023];

export async function writeSinoeFile(path: string, seed: number) {
  const random = createRandom(seed, 'sinoe');
  const sink = await openTextSink(path);
  await sink.write(`\uFEFF${header.map(quoted).join(',')}\n`);
  let rows = 0;
  for (const year of sinoeYears) {
    const lines: string[] = [];
    for (const department of departments) {
      const size = department.code === '75' ? 0.2 : random.logNormal(1, 0.5);
      for (const [wasteCode, wasteLabel, median, destinations] of wastes) {
        for (const treatment of destinations) {
          if (random.chance(0.12)) continue;
          // Tonnages carry five decimals, as the provider's do.
          const tonnes =
            Math.round(random.logNormal(median * size, 0.6) * 1e5) / 1e5 / destinations.length;
          lines.push(
            [
              year,
              department.region.code,
              quoted(department.region.sinoeName),
              quoted(department.code),
              quoted(department.name),
              quoted(wasteCode),
              quoted(wasteLabel),
              quoted(treatment),
              quoted(treatments[treatment]!),
              Number(tonnes.toFixed(5)),
            ].join(','),
          );
        }
      }
    }
    rows += lines.length;
    await sink.write(`${lines.join('\n')}\n`);
  }
  const { bytes } = await sink.close();
  return { rows, bytes };
}
