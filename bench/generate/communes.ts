import { createRandom } from '../support/random.js';
import { type Department, departments } from './departments.js';

/**
 * About 35,000 communes with plausible INSEE codes (département + number, 2A/2B for Corsica,
 * 97x + two digits overseas), names, EPCIs (nine-digit SIREN codes) and postcodes.
 */

export interface Commune {
  insee: string;
  name: string;
  department: Department;
  epciCode: string;
  epciName: string;
  /** One postcode, or several joined by `/` as ORE publishes them. */
  postcode: string;
  /** Residential delivery points: the size every other figure scales with. */
  households: number;
}

export const communeTarget = 34_950;

const prefixes = ['', '', '', 'Saint-', 'Sainte-', 'La ', 'Le ', 'Les ', "L'", 'Villers-'];
const roots = [
  'Mar',
  'Bel',
  'Mont',
  'Ro',
  'Char',
  'Beau',
  'Fon',
  'Bour',
  'Lan',
  'Ker',
  'Plou',
  'Val',
  'Ville',
  'Cham',
  'Aub',
  'Ger',
  'Bré',
  'Cour',
  'Vern',
  'Andr',
  'Es',
  'Lou',
  'Ment',
  'Sau',
];
const endings = [
  'ac',
  'y',
  'ville',
  'court',
  'mont',
  'eux',
  'ière',
  'igny',
  'é',
  'ans',
  'ès',
  'ieu',
  'elle',
  'on',
  'ay',
  'heim',
  'ange',
  'oux',
];
const qualifiers = [
  '',
  '',
  '',
  '',
  '-sur-Mer',
  '-sur-Loire',
  '-en-Bresse',
  '-le-Château',
  '-les-Bains',
  "-d'Aunis",
  '-de-Rhône',
  '-la-Forêt',
  '-sous-Bois',
  '-Plage',
];
const epciKinds = ['CC du Pays de', 'CC', 'CA', 'CC des Coteaux de', 'CU', 'CA du Grand'];

/** A nine-digit SIREN as EPCIs have: `2000xxxxx`, or `24` + the département's digits. */
function epciSiren(random: ReturnType<typeof createRandom>, departmentCode: string): string {
  const serial = String(random.integer(0, 99_999)).padStart(5, '0');
  if (random.chance(0.5)) return `2000${serial}`;
  const digits = departmentCode.replace(/^2[AB]$/, '20').slice(0, 2);
  return `24${digits}${serial}`;
}

function communeName(random: ReturnType<typeof createRandom>): string {
  const root = random.pick(roots) + random.pick(endings);
  const prefix = random.pick(prefixes);
  const body = prefix === "L'" && !/^[AEIOUÉ]/.test(root) ? `L'A${root.toLowerCase()}` : root;
  return `${prefix === "L'" ? '' : prefix}${body}${random.pick(qualifiers)}`;
}

function communesPerDepartment(seed: number): Map<string, number> {
  const random = createRandom(seed, 'commune-counts');
  const weights = departments.map((department) => {
    if (department.code === '75') return 0;
    if (department.code.length === 3) return 0.06;
    return 0.4 + random.next() * 1.8;
  });
  const overseas = departments.filter((department) => department.code.length === 3);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const mainland = communeTarget - 1 - overseas.length * 30;
  const counts = new Map<string, number>();
  departments.forEach((department, index) => {
    if (department.code === '75') counts.set('75', 1);
    else if (department.code.length === 3) counts.set(department.code, 30);
    else counts.set(department.code, Math.round((mainland * weights[index]!) / total));
  });
  return counts;
}

/** The communes of the territory, in INSEE order, the same for a seed on every run. */
export function generateCommunes(seed: number): Commune[] {
  const random = createRandom(seed, 'communes');
  const counts = communesPerDepartment(seed);
  const communes: Commune[] = [];

  for (const department of departments) {
    const count = counts.get(department.code)!;
    const overseas = department.code.length === 3;
    const maximumNumber = overseas ? 99 : 999;
    const step = Math.max(1, Math.floor(maximumNumber / count));
    const epciCount = Math.max(1, Math.round(count / 25));
    const epcis = Array.from({ length: epciCount }, (_, index) => ({
      code: epciSiren(random, department.code),
      name: `${random.pick(epciKinds)} ${communeName(random)}`.replace(/ +/g, ' '),
      order: index,
    }));

    // Steps of at most maximumNumber / count keep every number in range and distinct.
    let number = 0;
    for (let index = 0; index < count; index += 1) {
      number += random.integer(1, step);
      const insee = overseas
        ? `${department.code}${String(number).padStart(2, '0')}`
        : department.code === '75'
          ? '75056'
          : `${department.code}${String(number).padStart(3, '0')}`;
      const epci = epcis[Math.floor((index * epciCount) / count)]!;
      const postcodeBase = `${overseas ? department.code : department.code.replace(/^2[AB]$/, '20')}`;
      const postcode = `${postcodeBase}${String(random.integer(0, overseas ? 99 : 999)).padStart(
        5 - postcodeBase.length,
        '0',
      )}`;
      communes.push({
        insee,
        name: department.code === '75' ? 'Paris' : communeName(random),
        department,
        epciCode: epci.code,
        epciName: epci.name,
        postcode: random.chance(0.03) ? `${postcode}/${postcode}` : postcode,
        households: Math.max(12, Math.round(random.logNormal(320, 1.1))),
      });
    }
  }
  return communes;
}
