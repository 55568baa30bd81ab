import { createRandom, type Random } from '../support/random.js';
import { openTextSink } from '../support/text-sink.js';
import type { Commune } from './communes.js';

/**
 * Agence ORE "consumption by sector, aggregated by commune" in the labels flavour of its CSV
 * export: `;`, CRLF, UTF-8 without BOM, the same 36 columns (two labels with a double space
 * before `(MWh)`), floats printed with their binary noise, postcodes joined by `/`.
 */

const sectorLabels = [
  ['Agriculture', 'agriculture', 'Indique qualité Agriculture'],
  ['Industrie', 'industrie', 'Indice qualité Industrie'],
  ['Tertiaire ', 'tertiaire', 'Indice qualité Tertiaire'],
  ['Résidentiel ', 'résidentiel', 'Indice qualité Résidentiel'],
] as const;

export const oreHeader = [
  'Opérateur',
  'Année',
  'Filière',
  ...sectorLabels.flatMap(([label, lower, quality]) => [
    `Consommation ${label} (MWh)`,
    `Nombre de points ${label.trim()}`,
    `Nombre de mailles secretisées (${lower})`,
    quality,
  ]),
  'Thermosensibilité (MWh/degré-jour)',
  'Part Thermosensible',
  'Consommation Secteur Inconnu (MWh)',
  'Nombre de points Secteur Inconnu',
  'Nombre de mailles secretisées (secteur inconnu)',
  'Indice qualité Non Affecté',
  'Code Commune',
  'Libellé Commune',
  'Code EPCI',
  'Libellé EPCI',
  'Code Département',
  'Libellé Département',
  'Code Région',
  'Libellé Région',
  'id_filiere',
  'Consommation totale (MWh)',
  'Code_postal',
];

/** A float as the export prints it: shortest form, `.0` on whole numbers. */
function float(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

const hundredth = (value: number) => Math.round(value * 100) / 100;

interface Sector {
  consumptionMwh: number;
  points: number;
  masked: number;
  quality: number;
}

function sector(random: Random, points: number, mwhPerPoint: number): Sector {
  if (points === 0) return { consumptionMwh: 0, points: 0, masked: 0, quality: 0 };
  // A sector of one or two sites is statistical secret: published as zero, one masked cell.
  if (points <= 2 && random.chance(0.3)) {
    return { consumptionMwh: 0, points: 0, masked: 1, quality: 0 };
  }
  return {
    consumptionMwh: hundredth(points * random.logNormal(mwhPerPoint, 0.35)),
    points,
    masked: 0,
    quality: Math.round(random.next() * 1000) / 1000,
  };
}

function row(random: Random, commune: Commune, year: number, gas: boolean): string {
  const trend = 1 - (year - 2014) * 0.012;
  const households = Math.round(
    commune.households * (gas ? 0.45 : 1) * (0.98 + random.next() * 0.04),
  );
  const perPoint = gas ? [60, 400, 55, 11] : [25, 180, 30, 4.6];
  const sectors = [
    sector(random, random.chance(0.6) ? random.integer(1, 12) : 0, perPoint[0]! * trend),
    sector(random, random.chance(0.5) ? random.integer(1, 8) : 0, perPoint[1]! * trend),
    sector(random, Math.round(households * 0.08), perPoint[2]! * trend),
    sector(random, households, perPoint[3]! * trend),
  ];
  const unknown = sector(random, random.chance(0.1) ? random.integer(1, 4) : 0, 3);
  // Summed in binary floating point, as the provider does: 2437.9100000000003 stays so.
  const total =
    sectors.reduce((sum, item) => sum + item.consumptionMwh, 0) + unknown.consumptionMwh;
  const residential = sectors[3]!;
  const thermo = residential.consumptionMwh > 0 ? hundredth(residential.consumptionMwh / 2400) : 0;
  const department = commune.department;

  return [
    gas ? 'GRDF' : 'Enedis',
    year,
    gas ? 'Gaz' : 'Electricité',
    ...sectors.flatMap((item) => [
      float(item.consumptionMwh),
      item.points,
      item.masked,
      float(item.quality),
    ]),
    float(thermo),
    float(thermo > 0 ? Math.round(random.next() * 1000) / 1000 : 0),
    float(unknown.consumptionMwh),
    unknown.points,
    unknown.masked,
    float(unknown.quality),
    commune.insee,
    commune.name,
    commune.epciCode,
    commune.epciName,
    department.code,
    department.name,
    department.region.code,
    department.region.name,
    gas ? 200 : 100,
    float(total),
    commune.postcode,
  ].join(';');
}

export const oreYears = Array.from({ length: 10 }, (_, index) => 2014 + index);

/** Writes every commune × year × energy (gas where the commune has a network). */
export async function writeOreFile(
  path: string,
  communes: readonly Commune[],
  seed: number,
  years: readonly number[] = oreYears,
): Promise<{ rows: number; bytes: number }> {
  const random = createRandom(seed, 'ore');
  const gasNetwork = communes.map((commune) => commune.households > 250 && random.chance(0.6));
  const sink = await openTextSink(path);
  await sink.write(`${oreHeader.join(';')}\r\n`);
  let rows = 0;
  for (const year of years) {
    let lines: string[] = [];
    for (const [index, commune] of communes.entries()) {
      lines.push(row(random, commune, year, false));
      if (gasNetwork[index]) lines.push(row(random, commune, year, true));
      if (lines.length >= 2_000 || index === communes.length - 1) {
        rows += lines.length;
        await sink.write(`${lines.join('\r\n')}\r\n`);
        lines = [];
      }
    }
  }
  const { bytes } = await sink.close();
  return { rows, bytes };
}
