import { TerrezeError } from './errors.js';

/**
 * Units of activity data and the conversions declared between them. An activity meets a
 * factor expressed per another unit only through a conversion listed here (or declared by the
 * project), so a quantity in MWh never meets a factor per kWh by accident.
 */

export type UnitDimension =
  | 'energy'
  | 'energy-gross-calorific'
  | 'energy-net-calorific'
  | 'volume'
  | 'mass'
  | 'vehicle-distance'
  | 'passenger-distance'
  | 'passenger-equivalent-distance'
  | 'freight-distance';

export interface UnitDefinition {
  unit: string;
  dimension: UnitDimension;
  label: string;
  /** Spellings met in factor registries, compared after `normaliseUnitText`. */
  aliases: string[];
}

export interface UnitConversion {
  from: string;
  to: string;
  multiplier: number;
  /** Restricts the conversion to one energy carrier (PCS/PCI ratios differ by fuel). */
  carrier?: string | undefined;
  /** Restricts the conversion to one activity (a consumption per vehicle-km, say). */
  activityKey?: string | undefined;
  source: string;
}

/** A conversion reachable through one or more declared steps, with the steps it took. */
export interface ConversionPath extends UnitConversion {
  path: string;
  steps: number;
}

/**
 * Whether a mass is weighed as collected (wet) or once dried (dry): waste factors per tonne
 * differ by basis (IPCC 2006, vol. 5 ch. 4, Table 4.1), and no conversion links the two.
 */
export const massBases = ['wet', 'dry'] as const;
export type MassBasis = (typeof massBases)[number];

/** A quantity that cannot be brought to the unit asked for through declared conversions. */
export class UnitConversionError extends TerrezeError {}

const energy = (prefix: string, suffix: string, dimension: UnitDimension, names: string[]) =>
  ({
    unit: `${prefix}Wh${suffix}`,
    dimension,
    label: `${prefix}Wh${suffix}`,
    aliases: names,
  }) satisfies UnitDefinition;

export const units: readonly UnitDefinition[] = [
  energy('k', '', 'energy', ['kwh']),
  energy('M', '', 'energy', ['mwh']),
  energy('G', '', 'energy', ['gwh']),
  energy('k', ' PCS', 'energy-gross-calorific', ['kwh pcs', 'kwhpcs']),
  energy('M', ' PCS', 'energy-gross-calorific', ['mwh pcs', 'mwhpcs']),
  energy('G', ' PCS', 'energy-gross-calorific', ['gwh pcs', 'gwhpcs']),
  energy('k', ' PCI', 'energy-net-calorific', ['kwh pci', 'kwhpci']),
  energy('M', ' PCI', 'energy-net-calorific', ['mwh pci', 'mwhpci']),
  energy('G', ' PCI', 'energy-net-calorific', ['gwh pci', 'gwhpci']),
  { unit: 'L', dimension: 'volume', label: 'litre', aliases: ['l', 'litre', 'litres', 'liter'] },
  { unit: 'hL', dimension: 'volume', label: 'hectolitre', aliases: ['hl', 'hectolitre'] },
  { unit: 'm3', dimension: 'volume', label: 'cubic metre', aliases: ['m3', 'm³'] },
  { unit: 'kg', dimension: 'mass', label: 'kilogram', aliases: ['kg', 'kilogramme'] },
  {
    unit: 't',
    dimension: 'mass',
    label: 'tonne',
    aliases: ['t', 'tonne', 'tonnes', 'tonne de dechets', 'tonne de déchets'],
  },
  {
    unit: 'vehicle-km',
    dimension: 'vehicle-distance',
    label: 'vehicle-kilometre',
    // Base Carbone writes vehicle factors per "km" (a car's kgCO2e/km is per vehicle-km).
    aliases: ['vehicle-km', 'vehicule.km', 'vehicle.km', 'vkm', 'km'],
  },
  {
    unit: 'passenger-km',
    dimension: 'passenger-distance',
    label: 'passenger-kilometre',
    aliases: ['passenger-km', 'passager.km', 'passagers.km', 'p.km', 'pkm'],
  },
  {
    unit: 'passenger-equivalent-km',
    dimension: 'passenger-equivalent-distance',
    label: 'passenger-equivalent kilometre (passengers and their share of freight)',
    aliases: ['peq.km'],
  },
  { unit: 't.km', dimension: 'freight-distance', label: 'tonne-kilometre', aliases: ['t.km'] },
];

const gasRatioSource = 'natural gas PCS/PCI ratio 1.111 (PRODUCT.md, domain facts)';

/** The conversions every project has; each also applies in the opposite direction. */
export const baseConversions: readonly UnitConversion[] = [
  ...['', ' PCS', ' PCI'].flatMap((suffix) => [
    { from: `MWh${suffix}`, to: `kWh${suffix}`, multiplier: 1000, source: 'SI prefixes' },
    { from: `GWh${suffix}`, to: `MWh${suffix}`, multiplier: 1000, source: 'SI prefixes' },
  ]),
  // 1 kWh PCS holds 1 / 1.111 kWh PCI: the latent heat of the water vapour is not recovered.
  {
    from: 'kWh PCI',
    to: 'kWh PCS',
    multiplier: 1.111,
    carrier: 'natural-gas',
    source: gasRatioSource,
  },
  { from: 'm3', to: 'L', multiplier: 1000, source: 'SI definition of the litre' },
  { from: 'hL', to: 'L', multiplier: 100, source: 'SI prefixes' },
  { from: 't', to: 'kg', multiplier: 1000, source: 'SI definition of the tonne' },
];

const unitByName = new Map(units.map((definition) => [definition.unit, definition]));

/** Lower case, no accents, single spaces: how unit spellings are compared. */
export function normaliseUnitText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const unitByAlias = new Map(
  units.flatMap((definition) =>
    [definition.unit, ...definition.aliases].map(
      (alias) => [normaliseUnitText(alias), definition.unit] as const,
    ),
  ),
);

/** The canonical unit a spelling stands for ("tonne de déchets" → "t"), if it is known. */
export function canonicalUnit(text: string): string | undefined {
  return unitByAlias.get(normaliseUnitText(text));
}

/** The activity unit of a factor's unit: "kgCO2e/kWh PCS" → "kWh PCS", "kgCO2e/Kg" → "kg". */
export function factorActivityUnit(factorUnit: string): string | undefined {
  const slash = factorUnit.indexOf('/');
  return slash < 0 ? undefined : canonicalUnit(factorUnit.slice(slash + 1));
}

/** Every alias with the unit it stands for, for the SQL table the factor registry joins. */
export function unitAliases(): { alias: string; unit: string }[] {
  return [...unitByAlias].map(([alias, unit]) => ({ alias, unit }));
}

/** The dimension of a canonical unit ("t" → mass), or undefined for an unknown unit. */
export function unitDimension(unit: string): UnitDimension | undefined {
  return unitByName.get(unit)?.dimension;
}

function dimensionOf(unit: string, where: string): UnitDimension | undefined {
  if (!unitByName.has(unit)) {
    throw new UnitConversionError(`${where}: unknown unit "${unit}"`, { unit });
  }
  return unitByName.get(unit)?.dimension;
}

/** Checks a declared conversion: known units, a positive finite multiplier. */
export function validateConversion(conversion: UnitConversion, where: string): void {
  dimensionOf(conversion.from, where);
  dimensionOf(conversion.to, where);
  if (!(conversion.multiplier > 0 && Number.isFinite(conversion.multiplier))) {
    throw new UnitConversionError(
      `${where}: expected a positive multiplier, found ${conversion.multiplier}`,
      { ...conversion },
    );
  }
}

interface Edge {
  to: string;
  multiplier: number;
  label: string;
  source: string;
}

function edgesOf(conversions: readonly UnitConversion[]): Map<string, Edge[]> {
  const edges = new Map<string, Edge[]>();
  const add = (from: string, edge: Edge) => edges.set(from, [...(edges.get(from) ?? []), edge]);
  for (const conversion of conversions) {
    const factor = String(conversion.multiplier);
    add(conversion.from, {
      to: conversion.to,
      multiplier: conversion.multiplier,
      label: `${conversion.from} → ${conversion.to} ×${factor}`,
      source: conversion.source,
    });
    add(conversion.to, {
      to: conversion.from,
      multiplier: 1 / conversion.multiplier,
      label: `${conversion.to} → ${conversion.from} ÷${factor}`,
      source: conversion.source,
    });
  }
  return edges;
}

/** Breadth-first paths from every unit, so the shortest chain of declared steps wins. */
function pathsWithin(
  conversions: readonly UnitConversion[],
  context: Pick<UnitConversion, 'carrier' | 'activityKey'>,
): ConversionPath[] {
  const edges = edgesOf(conversions);
  const paths: ConversionPath[] = [];
  for (const { unit: start } of units) {
    const seen = new Map<string, { multiplier: number; labels: string[]; sources: string[] }>([
      [start, { multiplier: 1, labels: [], sources: [] }],
    ]);
    const queue = [start];
    while (queue.length > 0) {
      const unit = queue.shift()!;
      const reached = seen.get(unit)!;
      for (const edge of edges.get(unit) ?? []) {
        if (seen.has(edge.to)) continue;
        seen.set(edge.to, {
          multiplier: reached.multiplier * edge.multiplier,
          labels: [...reached.labels, edge.label],
          sources: [...new Set([...reached.sources, edge.source])],
        });
        queue.push(edge.to);
      }
    }
    for (const [to, reached] of seen) {
      paths.push({
        from: start,
        to,
        multiplier: reached.multiplier,
        carrier: context.carrier,
        activityKey: context.activityKey,
        source: reached.labels.length === 0 ? 'same unit' : reached.sources.join('; '),
        path: reached.labels.length === 0 ? `${start} (same unit)` : reached.labels.join('; '),
        steps: reached.labels.length,
      });
    }
  }
  return paths;
}

/**
 * Every conversion reachable from the base and declared ones, per context: generic paths, then
 * paths for each carrier and each activity that has conversions of its own (which also use the
 * generic ones and those of the activity's carrier, when the declaration names it).
 */
export function conversionTable(declared: readonly UnitConversion[] = []): ConversionPath[] {
  const all = [...baseConversions, ...declared];
  all.forEach((conversion, index) => {
    validateConversion(conversion, `conversion ${index + 1}`);
  });
  const generic = all.filter((item) => !item.carrier && !item.activityKey);
  const carriers = [...new Set(all.flatMap((item) => (item.carrier ? [item.carrier] : [])))];
  const activities = [
    ...new Map(
      all.flatMap((item) => (item.activityKey ? [[item.activityKey, item.carrier] as const] : [])),
    ),
  ];

  const ofCarrier = (carrier: string | undefined) =>
    all.filter((item) => item.carrier === carrier && !item.activityKey);
  return [
    ...pathsWithin(generic, {}),
    ...carriers.flatMap((carrier) => pathsWithin([...generic, ...ofCarrier(carrier)], { carrier })),
    ...activities.flatMap(([activityKey, carrier]) =>
      pathsWithin(
        [
          ...generic,
          ...(carrier ? ofCarrier(carrier) : []),
          ...all.filter((item) => item.activityKey === activityKey),
        ],
        { activityKey, carrier },
      ),
    ),
  ];
}

/**
 * Converts a quantity through declared conversions only; the most specific context wins
 * (the activity's own, then its carrier's, then the generic ones).
 */
export function convertQuantity(
  quantity: number,
  from: string,
  to: string,
  context: { carrier?: string; activityKey?: string; declared?: readonly UnitConversion[] } = {},
): { quantity: number; path: ConversionPath } {
  const table = conversionTable(context.declared);
  const candidates = table.filter(
    (path) =>
      path.from === from &&
      path.to === to &&
      (path.activityKey === undefined || path.activityKey === context.activityKey) &&
      (path.carrier === undefined || path.carrier === context.carrier),
  );
  const specificity = (path: ConversionPath) => (path.activityKey ? 2 : 0) + (path.carrier ? 1 : 0);
  const best = candidates.sort((a, b) => specificity(b) - specificity(a) || a.steps - b.steps)[0];
  if (best === undefined) {
    const where = [context.activityKey, context.carrier].filter(Boolean).join(', ');
    throw new UnitConversionError(
      `no declared conversion from ${from} to ${to}${where ? ` for ${where}` : ''}`,
      { from, to, ...context },
    );
  }
  return { quantity: quantity * best.multiplier, path: best };
}
